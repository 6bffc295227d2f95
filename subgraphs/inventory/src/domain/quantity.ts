import { Decimal } from "decimal.js";
import { badInput } from "@lotgraph/kit";

/** numeric(20, 6): 14 integer digits and 6 decimals. */
const MAX_INTEGER_DIGITS = 14;
const MAX_DECIMALS = 6;

/**
 * Parses a quantity given by a person or an integration. It must be a plain decimal, strictly
 * positive, and fit the ledger's precision; anything else is BAD_USER_INPUT naming `field`.
 */
export function parsePositiveQuantity(field: string, value: string): Decimal {
  let quantity: Decimal;
  try {
    quantity = new Decimal(value);
  } catch {
    throw badInput(field, `${field} must be a decimal number such as "12.5"`);
  }
  if (!quantity.isFinite() || !/^-?\d+(\.\d+)?$/.test(value.trim())) {
    throw badInput(field, `${field} must be a decimal number such as "12.5"`);
  }
  if (quantity.lte(0)) throw badInput(field, `${field} must be greater than zero`);
  if (quantity.decimalPlaces() > MAX_DECIMALS) throw badInput(field, `${field} has more than ${MAX_DECIMALS} decimals`);
  if (quantity.trunc().toFixed().length > MAX_INTEGER_DIGITS) throw badInput(field, `${field} is too large`);
  return quantity;
}
