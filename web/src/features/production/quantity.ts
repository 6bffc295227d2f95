import { formatDecimal } from "@/lib/format";

/**
 * A Decimal string for people: digits grouped, trailing zeros of the fraction dropped (the
 * genealogy answers "60.000000" where production answers "60"; both mean 60 kg).
 */
export function formatQuantity(value: string): string {
  const trimmed = /^-?\d+\.\d+$/.test(value) ? value.replace(/\.?0+$/, "") : value;
  return formatDecimal(trimmed);
}
