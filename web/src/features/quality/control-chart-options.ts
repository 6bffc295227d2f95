import type uPlot from "uplot";
import { individualsLimits } from "./spc";

export const HEIGHT = 260;

const BRAND = "#1d5fa8";
const LIMIT = "#a11a1a";
const OUTSIDE = "#a11a1a";
const CONTROL = "#4b5563";

/** One characteristic's measurements, oldest first, and its specification limits. */
export interface ChartSpec {
  name: string;
  unit: string;
  lower: number;
  upper: number;
  values: number[];
}

type ControlLimits = ReturnType<typeof individualsLimits>;

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

/** Each measurement's position, its value, the values outside specification, then the flat lines. */
function chartData({ values, lower, upper }: ChartSpec, control: ControlLimits): uPlot.AlignedData {
  const level = (value: number | undefined) => values.map(() => value ?? null);
  return [
    values.map((_, index) => index + 1),
    values,
    values.map((v) => (v < lower || v > upper ? v : null)),
    level(lower),
    level(upper),
    level(control?.mean),
    level(control?.lcl),
    level(control?.ucl),
  ];
}

/** A y range that shows every point and every limit, with a tenth of margin. */
function yRange({ values, lower, upper }: ChartSpec, control: ControlLimits): [number, number] {
  const low = Math.min(lower, ...values, control?.lcl ?? lower);
  const high = Math.max(upper, ...values, control?.ucl ?? upper);
  const pad = (high - low || Math.abs(high) || 1) * 0.1;
  return [low - pad, high + pad];
}

function chartAxes(unit: string): uPlot.Axis[] {
  return [
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
  ];
}

function chartSeries({ name, lower, upper }: ChartSpec, control: ControlLimits): uPlot.Series[] {
  return [
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
  ];
}

/** uPlot's options and data for an individuals chart of `spec`, `width` pixels wide. */
export function controlChartConfig(
  spec: ChartSpec,
  width: number,
): { options: uPlot.Options; data: uPlot.AlignedData } {
  const control = individualsLimits(spec.values);
  const options: uPlot.Options = {
    width: Math.max(280, Math.floor(width)),
    height: HEIGHT,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: false },
    scales: { x: { time: false }, y: { range: yRange(spec, control) } },
    axes: chartAxes(spec.unit),
    series: chartSeries(spec, control),
  };
  return { options, data: chartData(spec, control) };
}
