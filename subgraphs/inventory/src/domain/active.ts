import { badInput } from "@lotgraph/kit";

/**
 * Deactivated master data (deactivateMaterial, …) stays readable, and what already happened with
 * it stays valid: its lots may still be consumed, moved out, adjusted or shipped. What it refuses
 * is a new use: a new lot of the material, stock arriving at the location, a new child location,
 * a receipt from the supplier, a shipment to the customer.
 */
export function requireActive(
  field: string,
  entity: { deactivatedAt: Date | null },
  name: string,
  refused: string,
): void {
  if (entity.deactivatedAt)
    throw badInput(field, `${name} is deactivated (since ${entity.deactivatedAt.toISOString()}): ${refused}`);
}
