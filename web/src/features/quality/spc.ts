/**
 * The individuals chart's control limits from the moving range: mean ± 2.66 × the average
 * distance between consecutive measurements (2.66 = 3 / d2, d2 = 1.128 for ranges of two). They
 * say what the process does; the specification limits say what it must do.
 */
export function individualsLimits(values: readonly number[]): { mean: number; lcl: number; ucl: number } | null {
  if (values.length < 2) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  let ranges = 0;
  for (let i = 1; i < values.length; i++) ranges += Math.abs(values[i]! - values[i - 1]!);
  const spread = 2.66 * (ranges / (values.length - 1));
  return { mean, lcl: mean - spread, ucl: mean + spread };
}
