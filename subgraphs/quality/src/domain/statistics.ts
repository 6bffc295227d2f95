/** Process capability of a sample against specification limits (DOMAIN.md: Cp, Cpk). */
export interface Capability {
  count: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null when count < 2. */
  standardDeviation: number | null;
  /** (USL − LSL) / 6σ; null when count < 2 or σ = 0. */
  cp: number | null;
  /** min(USL − μ, μ − LSL) / 3σ; null when count < 2 or σ = 0. */
  cpk: number | null;
}

export function capability(values: readonly number[], lower: number, upper: number): Capability {
  const count = values.length;
  if (count === 0) return { count, mean: null, standardDeviation: null, cp: null, cpk: null };
  const mean = values.reduce((sum, v) => sum + v, 0) / count;
  if (count < 2) return { count, mean, standardDeviation: null, cp: null, cpk: null };
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  const sigma = Math.sqrt(squares / (count - 1));
  if (sigma === 0) return { count, mean, standardDeviation: 0, cp: null, cpk: null };
  return {
    count,
    mean,
    standardDeviation: sigma,
    cp: (upper - lower) / (6 * sigma),
    cpk: Math.min(upper - mean, mean - lower) / (3 * sigma),
  };
}
