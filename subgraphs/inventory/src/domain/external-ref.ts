import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { Reader } from "../store/inventory-store.ts";
import { conflict } from "./common.ts";

/**
 * The ERP's own key for a material, party, lot or shipment, so an integration needs no map of
 * Lotgraph ids: unique per kind when given (a unique index backs the check against races).
 */
export const externalRef = z.string().trim().min(1, "required").max(200);

export type ExternalRefKind = "material" | "party" | "lot" | "shipment";

/** An ERP key another row of the kind (than `exceptId`) has is CONFLICT. */
export async function requireFreeExternalRef(
  tx: Reader,
  kind: ExternalRefKind,
  value: string | null | undefined,
  exceptId: string | null = null,
): Promise<void> {
  if (value && (await store.externalRefTaken(tx, kind, value, exceptId)))
    throw conflict("externalRef", `a ${kind} with externalRef ${value} already exists`);
}
