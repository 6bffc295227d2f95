"use client";

import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import { formatDateTime } from "@/lib/format";
import { formatLimits } from "./format-limits";
import styles from "./quality.module.css";

export interface ChartPoint {
  /** When the decision was made (ISO). */
  at: string;
  value: number;
}

const HEIGHT = 260;

const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const clockSeconds = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", second: "2-digit" });
const day = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** Time ticks as people read them: the day over weeks, the time within a day, seconds within minutes. */
function timeLabel(first: number, last: number): (seconds: number) => string {
  const span = last - first;
  const format = span > 2 * 86_400 ? day : span > 600 ? clock : clockSeconds;
  return (seconds) => format.format(new Date(seconds * 1000));
}
const BRAND = "#1d5fa8";
const LIMIT = "#a11a1a";
const OUTSIDE = "#a11a1a";

/**
 * A run chart of one characteristic: each measurement over time, the lower and upper
 * specification limits as dashed lines, points outside them in red. uPlot draws on a canvas, so
 * it is created in an effect (never on the server) and resized with its container.
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
      const low = Math.min(lower, ...values);
      const high = Math.max(upper, ...values);
      const pad = (high - low || Math.abs(high) || 1) * 0.15;
      const data: uPlot.AlignedData = [
        sorted.map((p) => Date.parse(p.at) / 1000),
        values,
        values.map((v) => (v < lower || v > upper ? v : null)),
        sorted.map(() => lower),
        sorted.map(() => upper),
      ];
      const limitLine = (label: string): uPlot.Series => ({
        label,
        stroke: LIMIT,
        width: 2,
        dash: [8, 6],
        points: { show: false },
      });
      chart = new UPlot(
        {
          width: Math.max(280, Math.floor(element.clientWidth)),
          height: HEIGHT,
          cursor: { drag: { x: false, y: false } },
          legend: { show: true, live: false },
          scales: { y: { range: [low - pad, high + pad] } },
          axes: [
            {
              stroke: "#4b5563",
              grid: { stroke: "#e3e8ef" },
              space: 70,
              values: (_, ticks) => ticks.map(timeLabel(data[0][0]!, data[0].at(-1)!)),
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
