/**
 * Exact sums of decimal strings at the SQL store's scale (numeric(20,6)), for the Neo4j store,
 * which keeps quantities as strings: floats would drift and the two stores must agree.
 */
const SCALE = 6;
const UNIT = 10n ** BigInt(SCALE);
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Sums decimal strings; the result has exactly 6 decimals, as PostgreSQL prints numeric(20,6). */
export function addDecimals(values: readonly string[]): string {
  let total = 0n;
  for (const value of values) total += toMicro(value);
  const sign = total < 0n ? "-" : "";
  const abs = total < 0n ? -total : total;
  return `${sign}${abs / UNIT}.${(abs % UNIT).toString().padStart(SCALE, "0")}`;
}

function toMicro(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new RangeError(`not a decimal: ${JSON.stringify(value)}`);
  const [, sign, whole = "0", fraction = ""] = match;
  // Rounds half away from zero past 6 places, as numeric(20,6) does on insert.
  const digits = fraction.padEnd(SCALE + 1, "0");
  let micro = BigInt(whole) * UNIT + BigInt(digits.slice(0, SCALE));
  if (Number(digits[SCALE]) >= 5) micro += 1n;
  return sign === "-" ? -micro : micro;
}
