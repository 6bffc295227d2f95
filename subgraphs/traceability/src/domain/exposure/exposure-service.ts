import { DomainError, badInput, isUuid, requireAuthenticated, type Principal } from "@lotgraph/kit";
import type { GenealogyStore } from "../../genealogy/port/genealogy-store.ts";
import { computeExposure } from "./compute-exposure.ts";
import type { ExposureReads } from "./exposure-reads.ts";
import type { ExposureView } from "./exposure-views.ts";

/** Where an exposure starts: one lot, or every received lot carrying a supplier lot code. */
export interface ExposureStart {
  lotId?: string | null;
  supplierLotCode?: string | null;
}

/** The `exposure` query: any signed-in caller, like `recall` (it is a read of the genealogy). */
export class ExposureService {
  constructor(
    private readonly deps: {
      genealogy: Pick<GenealogyStore, "lotsBySupplierLotCode">;
      reads: ExposureReads;
    },
  ) {}

  async exposure(caller: Principal | null, start: ExposureStart): Promise<ExposureView> {
    requireAuthenticated(caller);
    return computeExposure(this.deps.reads, await sourceLots(this.deps.genealogy, start));
  }
}

/**
 * The source lots, by `recall`'s rules: exactly one of the two (BAD_USER_INPUT otherwise), and
 * an unknown supplier lot code is NOT_FOUND, never an empty exposure: a typo must not read as
 * "nothing exposed". A lot id the genealogy has not seen is a source with nothing made from it.
 */
export async function sourceLots(
  genealogy: Pick<GenealogyStore, "lotsBySupplierLotCode">,
  { lotId, supplierLotCode }: ExposureStart,
): Promise<string[]> {
  if (Boolean(lotId) === Boolean(supplierLotCode))
    throw badInput("lotId", "give exactly one of lotId or supplierLotCode");
  if (lotId) {
    if (!isUuid(lotId)) throw badInput("lotId", "lotId is not a lot id");
    return [lotId];
  }
  const lots = await genealogy.lotsBySupplierLotCode(supplierLotCode ?? "");
  if (lots.length === 0)
    throw new DomainError("NOT_FOUND", `no received lot carries supplier lot code ${supplierLotCode}`, {
      entity: "Lot",
      supplierLotCode,
    });
  return lots;
}
