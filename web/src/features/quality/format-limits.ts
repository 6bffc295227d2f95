/** "495 – 505 g": a characteristic's specification limits as printed on a control plan. */
export function formatLimits(lower: number, upper: number, unit: string): string {
  return `${formatNumber(lower)} – ${formatNumber(upper)}${unit ? ` ${unit}` : ""}`;
}

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

export function formatNumber(value: number): string {
  return number.format(value);
}

/** A statistic to a few decimals, or a dash when the API says it is not defined (null). */
export function formatStatistic(value: number | null | undefined, digits = 2): string {
  return value == null ? "—" : value.toFixed(digits);
}

export const lotHref = (code: string) => `/lots/${encodeURIComponent(code)}`;
