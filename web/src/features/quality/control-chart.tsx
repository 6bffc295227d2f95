"use client";

import "uplot/dist/uPlot.min.css";
import { useEffect, useRef, type RefObject } from "react";
import type uPlot from "uplot";
import { formatDateTime } from "@/lib/format";
import { formatLimits } from "./format-limits";
import { controlChartConfig, HEIGHT } from "./control-chart-options";
import styles from "./quality.module.css";

export interface ChartPoint {
  /** When the decision was made (ISO). */
  at: string;
  value: number;
}

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

  useControlChart(container, sorted, { name, unit, lower, upper });

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

/** Draws the chart into `container` once uPlot has loaded, and keeps it as wide as its container. */
function useControlChart(
  container: RefObject<HTMLDivElement | null>,
  sorted: ChartPoint[],
  { name, unit, lower, upper }: { name: string; unit: string; lower: number; upper: number },
) {
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
      const { options, data } = controlChartConfig({ name, unit, lower, upper, values }, element.clientWidth);
      chart = new UPlot(options, data, element);
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer.disconnect();
      chart?.destroy();
    };
    // The data key stands for `sorted`; a new array with the same points must not rebuild the chart.
  }, [dataKey, lower, upper, name, unit]);
}
