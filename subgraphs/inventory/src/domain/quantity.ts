import { Decimal } from "decimal.js";
import { badInput } from "@lotgraph/kit";
import { z } from "zod";

/** numeric(20, 6): 14 integer digits and 6 decimals. */
const MAX_INTEGER_DIGITS = 14;
const MAX_DECIMALS = 6;

type Sign = "positive" | "non-zero";

/**
 * Why `value` is not an acceptable quantity (a plain decimal that fits numeric(20, 6), of the
 * required sign), or the parsed quantity.
 */
function check(field: string, value: string, sign: Sign): Decimal | string {
  const shape = `${field} must be a decimal number such as "12.5"`;
  if (!/^-?\d+(\.\d+)?$/.test(value.trim())) return shape;
  const quantity = new Decimal(value.trim());
  if (sign === "positive" && quantity.lte(0)) return `${field} must be greater than zero`;
  if (sign === "non-zero" && quantity.isZero()) return `${field} must not be zero`;
  if (quantity.decimalPlaces() > MAX_DECIMALS) return `${field} has more than ${MAX_DECIMALS} decimals`;
  if (quantity.abs().trunc().toFixed().length > MAX_INTEGER_DIGITS) return `${field} is too large`;
  return quantity;
}

/**
 * The same rules as a zod schema, so a quantity problem is reported together with every other
 * problem of the input (`fields` of BAD_USER_INPUT). `sign` "non-zero" is for signed deltas.
 */
export function quantitySchema(field: string, sign: Sign = "positive") {
  return z.string().transform((value, ctx) => {
    const result = check(field, value, sign);
    if (typeof result !== "string") return result;
    ctx.addIssue({ code: "custom", message: result });
    return z.NEVER;
  });
}

/** SERIAL materials count units: their quantities are whole numbers. */
export function requireWholeUnits(field: string, quantity: Decimal, tracking: "LOT" | "SERIAL"): void {
  if (tracking === "SERIAL" && !quantity.isInteger()) {
    throw badInput(field, `${field} must be a whole number of units for a serial-tracked material`);
  }
}
