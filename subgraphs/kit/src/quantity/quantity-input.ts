import { z } from "zod";
import { badInput } from "../errors.ts";
import { DECIMAL_FRACTION_DIGITS, decimalParts, fitsStorage } from "./decimal-text.ts";
import { Quantity } from "./quantity.ts";

/** The sign a quantity must have: "positive" for amounts, "non-zero" for signed deltas. */
export type QuantitySign = "positive" | "non-zero";

/**
 * The quantity `value` is, or why it is not acceptable as `field`: a plain decimal that fits
 * numeric(20, 6) exactly (a 7th significant decimal is refused, never rounded) and has `sign`.
 * The `Decimal` scalar checks the shape already; the sign is a domain rule (decision 0005).
 */
export function checkQuantity(field: string, value: string, sign: QuantitySign): Quantity | string {
  const parts = decimalParts(value);
  if (!parts) return `${field} must be a decimal number such as "12.5"`;
  const quantity = fitsStorage(parts) ? Quantity.of(value) : null;
  const zero = parts.whole === "0" && parts.fraction === "";
  if (sign === "positive" && (zero || parts.negative)) return `${field} must be greater than zero`;
  if (sign === "non-zero" && zero) return `${field} must not be zero`;
  if (parts.fraction.length > DECIMAL_FRACTION_DIGITS)
    return `${field} has more than ${DECIMAL_FRACTION_DIGITS} decimals`;
  return quantity ?? `${field} is too large`;
}

/** `checkQuantity` for a caller that validates outside a zod schema: a refusal is BAD_USER_INPUT on `field`. */
export function parseQuantity(field: string, value: string, sign: QuantitySign = "positive"): Quantity {
  const result = checkQuantity(field, value, sign);
  if (typeof result === "string") throw badInput(field, result);
  return result;
}

/**
 * The same rules as a zod schema, so a quantity problem is reported together with every other
 * problem of the input (`fields` of BAD_USER_INPUT).
 */
export function quantitySchema(field: string, sign: QuantitySign = "positive") {
  return z.string().transform((value, ctx): Quantity => {
    const result = checkQuantity(field, value, sign);
    if (typeof result !== "string") return result;
    ctx.addIssue({ code: "custom", message: result });
    return z.NEVER;
  });
}
