"use client";

import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import { formatDateTime } from "@/lib/format";
import { formatLimits } from "./format-limits";
import { individualsLimits } from "./spc";
import styles from "./quality.module.css";

export interface ChartPoint {
  /** When the decision was made (ISO). */
  at: string;
  value: number;
}

const HEIGHT = 260;

const BRAND = "#1d5fa8";
const LIMIT = "#a11a1a";
const OUTSIDE = "#a11a1a";
const CONTROL = "#4b5563";

/**
 * An individuals control chart of one characteristic: each measurement in the order it was taken
 * (evenly spaced, as SPC reads them, not squeezed by the clock), the mean and the control limits
 * (grey), the lower and upper specification limits (dashed red), points outside specification in
 * red. uPlot draws on a canvas, so it is created in an effect (never on the server) and resized
 * with its container.
 */
export function ControlChart({
  name,
  unit,
  lower,
  upper,
  points,
}: {
  name: string;
  unit: string;
  lower: number;
  upper: number;
  points: ChartPoint[];
}) {
  const container = useRef<HTMLDivElement>(null);
  const sorted = [...points].sort((a, b) => a.at.localeCompare(b.at));
  const dataKey = JSON.stringify(sorted);

  useEffect(() => {
    const element = container.current;
    if (!element || sorted.length === 0) return;
    let chart: uPlot | null = null;
    let cancelled = false;
    const observer = new ResizeObserver(([entry]) => {
      if (chart && entry) chart.setSize({ width: Math.floor(entry.contentRect.width), height: HEIGHT });
    });
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const values = sorted.map((p) => p.value);
      const control = individualsLimits(values);
      const low = Math.min(lower, ...values, control?.lcl ?? lower);
      const high = Math.max(upper, ...values, control?.ucl ?? upper);
      const pad = (high - low || Math.abs(high) || 1) * 0.1;
      const level = (value: number | undefined) => sorted.map(() => value ?? null);
      const data: uPlot.AlignedData = [
        sorted.map((_, index) => index + 1),
        values,
        values.map((v) => (v < lower || v > upper ? v : null)),
        level(lower),
        level(upper),
        level(control?.mean),
        level(control?.lcl),
        level(control?.ucl),
      ];
      const limitLine = (label: string): uPlot.Series => ({
        label,
        stroke: LIMIT,
        width: 2,
        dash: [8, 6],
        points: { show: false },
      });
      const controlLine = (label: string, dash: number[]): uPlot.Series => ({
        label,
        stroke: CONTROL,
        width: 1.5,
        dash,
        points: { show: false },
      });
      const round = (value: number) => String(Number(value.toPrecision(4)));
      chart = new UPlot(
        {
          width: Math.max(280, Math.floor(element.clientWidth)),
          height: HEIGHT,
          cursor: { drag: { x: false, y: false } },
          legend: { show: true, live: false },
          scales: { x: { time: false }, y: { range: [low - pad, high + pad] } },
          axes: [
            {
              stroke: "#4b5563",
              grid: { stroke: "#e3e8ef" },
              space: 50,
              label: "Measurement, oldest first",
              values: (_, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : "")),
            },
            {
              stroke: "#4b5563",
              grid: { stroke: "#e3e8ef" },
              size: 64,
              label: unit || undefined,
              values: (_, ticks) => ticks.map((t) => String(Number(t.toPrecision(6)))),
            },
          ],
          series: [
            {},
            { label: name, stroke: BRAND, width: 1.5, points: { show: true, size: 8, fill: BRAND } },
            {
              label: "Outside limits",
              stroke: OUTSIDE,
              width: 0,
              paths: () => null,
              points: { show: true, size: 11, fill: OUTSIDE, stroke: OUTSIDE },
            },
            limitLine(`LSL ${lower}`),
            limitLine(`USL ${upper}`),
            controlLine(control ? `Mean ${round(control.mean)}` : "Mean", []),
            controlLine(control ? `LCL ${round(control.lcl)}` : "LCL", [2, 4]),
            controlLine(control ? `UCL ${round(control.ucl)}` : "UCL", [2, 4]),
          ],
        },
        data,
        element,
      );
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer.disconnect();
      chart?.destroy();
    };
    // The data key stands for `sorted`; a new array with the same points must not rebuild the chart.
  }, [dataKey, lower, upper, name, unit]);

  if (points.length === 0)
    return (
      <div className={styles.chartEmpty} data-testid="chart-empty">
        No measurements yet
      </div>
    );
  const outside = sorted.filter((p) => p.value < lower || p.value > upper).length;
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  return (
    <div
      ref={container}
      className={styles.chart}
      role="img"
      data-testid="control-chart"
      aria-label={`${name}: ${sorted.length} measurements from ${formatDateTime(first.at)} to ${formatDateTime(last.at)}, ${outside} outside the limits ${formatLimits(lower, upper, unit)}.`}
    />
  );
}
