import { DomainError, badInput, command, id, runAsCaller, text, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import * as holdStore from "../store/hold-store.ts";
import { recordContainment } from "../store/recall-containment-store.ts";
import type { QualityDeps } from "./common.ts";
import type { HoldService } from "./holds.ts";
import type { SupplierHoldService } from "./supplier-holds.ts";

const containSchema = z
  .object({
    recallCaseId: id,
    caseNumber: text(40),
    lotId: id.nullish(),
    supplierLotCode: z.string().trim().min(1, "required").max(64).nullish(),
    supplierIds: z.array(id).max(100).nullish(),
    reason: text(500),
    openedBy: z.object({ id, name: text(200) }),
  })
  .refine((input) => Boolean(input.lotId) !== Boolean(input.supplierLotCode), {
    message: "give exactly one of lotId and supplierLotCode",
    path: ["lotId"],
  })
  .refine((input) => !input.supplierLotCode || (input.supplierIds?.length ?? 0) > 0, {
    message: "the suppliers that delivered supplierLotCode are required",
    path: ["supplierIds"],
  })
  .refine((input) => !input.lotId || !input.supplierIds?.length, {
    message: "supplierIds go with supplierLotCode only",
    path: ["supplierIds"],
  })
  .transform((input) => ({
    ...input,
    // In one order, so a retry that lists them otherwise is the same request.
    supplierIds: [...new Set(input.supplierIds ?? [])].sort(),
    // One case is contained once: a repeat (traceability's journal retrying) replays the first.
    idempotencyKey: `recall:${input.recallCaseId}`,
  }));

type ContainInput = z.output<typeof containSchema>;

/** What a containment stored for a replay: the ids it placed or kept. */
export type Containment = {
  holdIds: string[];
  supplierHoldIds: string[];
};

/**
 * A recall's holds (decision 0023): traceability opens the case and asks quality to contain it,
 * in the name of the person who opened it. Nothing here is new holding logic: it is placeHold
 * with propagation, or placeSupplierHold per supplier, called as the opener (a MANAGER acting
 * through the recall), so their audit entries and `placedByName` name that person, and each is
 * journalled against inventory as it always is (decision 0012). Every id derives from the case:
 * the inner commands' keys are `recall:<case>:lot` and `recall:<case>:supplier:<id>`, so a retry
 * after a crash halfway through places nothing twice; the whole answer is kept under the case too.
 */
export class RecallContainmentService {
  constructor(
    private readonly deps: QualityDeps,
    private readonly holds: HoldService,
    private readonly supplierHolds: SupplierHoldService,
  ) {}

  /** Internal (service token): holds a recall's lot and its descendants, or its supplier lot code. */
  place(caller: Principal | null, raw: unknown, requestId: string): Promise<Containment> {
    return command(this.deps.db, caller, raw, {
      name: "placeRecallContainment",
      role: "internal",
      input: containSchema,
      actor: (_caller, input) => input.openedBy,
      // The holds are placed by their own journalled commands, outside this transaction; only the
      // answer and its audit entry are written in it.
      prepare: (input) => this.contain(input, requestId),
      run: async ({ tx, input, prepared, record }) => {
        // Every placement the recall holds: its lot's root hold, or its supplier holds.
        const placementIds = input.lotId ? prepared.holdIds : prepared.supplierHoldIds;
        await recordContainment(tx, { recallCaseId: input.recallCaseId, caseNumber: input.caseNumber, placementIds });
        record.audit({
          action: "recall.contained",
          entityType: "RecallCase",
          entityId: input.recallCaseId,
          reason: `${input.caseNumber}: ${input.reason}`,
          after: {
            caseNumber: input.caseNumber,
            lotId: input.lotId ?? null,
            supplierLotCode: input.supplierLotCode ?? null,
            supplierIds: input.supplierIds,
            ...prepared,
          },
        });
        return prepared;
      },
      reload: async (containment) => containment,
    });
  }

  private contain(input: ContainInput, requestId: string): Promise<Containment> {
    const opener: Principal = { ...input.openedBy, kind: "user", roles: ["MANAGER"] };
    const reason = holdReason(input.caseNumber, input.reason);
    const key = (part: string) => `${input.idempotencyKey}:${part}`;
    const { lotId, supplierLotCode, supplierIds } = input;
    // The inner commands run under the opener's keys, as recovery completes their journalled
    // writes (it acts as whoever the write names).
    return runAsCaller(opener.id, async () => {
      if (lotId) {
        const placed = await this.holds.placeHold(
          opener,
          { lotId, reason, propagate: true, idempotencyKey: key("lot") },
          requestId,
        );
        const [root] = placed.holds;
        if (!root) throw new Error("a hold placement returned no hold");
        return { holdIds: [root.id], supplierHoldIds: [] };
      }
      if (!supplierLotCode) throw new Error("the schema admits a lot or a supplier lot code");
      await this.requireSuppliers(supplierIds, requestId);
      const containment: Containment = { holdIds: [], supplierHoldIds: [] };
      // The recall is of the code, whoever is named on a receipt: the last hold placed here also
      // holds the code's lots from every other supplier and from none, now and later, once the
      // other suppliers' own holds stand (decision 0029).
      for (const [index, supplierId] of supplierIds.entries()) {
        const held = await this.holdSupplierCode(
          opener,
          { supplierId, supplierLotCode, reason, otherSuppliers: index === supplierIds.length - 1 },
          key(`supplier:${supplierId}`),
          requestId,
        );
        containment.supplierHoldIds.push(held.supplierHoldId);
        containment.holdIds.push(...held.holdIds);
      }
      return containment;
    });
  }

  /** Every id must be a supplier before any code is held: a bad list holds nothing. */
  private async requireSuppliers(supplierIds: readonly string[], requestId: string): Promise<void> {
    const suppliers = await this.deps.inventory.suppliers(supplierIds, requestId);
    const others = supplierIds.filter((supplierId) => !suppliers.has(supplierId));
    if (others.length) throw badInput("supplierIds", `not suppliers: ${others.join(", ")}`);
  }

  /**
   * A supplier hold on the code for one supplier, or the one already standing on it: a code
   * already held stays held by that hold (placeSupplierHold answers CONFLICT naming it).
   */
  private async holdSupplierCode(
    opener: Principal,
    hold: { supplierId: string; supplierLotCode: string; reason: string; otherSuppliers: boolean },
    idempotencyKey: string,
    requestId: string,
  ): Promise<{ supplierHoldId: string; holdIds: string[] }> {
    try {
      const placed = await this.supplierHolds.place(opener, { ...hold, idempotencyKey }, requestId);
      return { supplierHoldId: placed.supplierHold.id, holdIds: placed.holds.map((hold) => hold.id) };
    } catch (error) {
      const standing = standingSupplierHold(error);
      if (!standing) throw error;
      const holds = await holdStore.holdsOfPlacement(this.deps.db.client, standing);
      return { supplierHoldId: standing, holdIds: holds.map((hold) => hold.id) };
    }
  }
}

/** What a hold's reason takes (placeHold's limit). */
const HOLD_REASON_MAX = 500;

/**
 * The holds' reason: the case number, then the recall's reason, within the 500 characters a hold's
 * reason takes (the whole reason stays on the case and on the containment's audit entry).
 */
function holdReason(caseNumber: string, reason: string): string {
  const full = `${caseNumber}: ${reason}`;
  return full.length <= HOLD_REASON_MAX ? full : `${full.slice(0, HOLD_REASON_MAX - 1)}…`;
}

/** The supplier hold a CONFLICT from placeSupplierHold names as already standing on the code. */
function standingSupplierHold(error: unknown): string | null {
  if (!(error instanceof DomainError) || error.code !== "CONFLICT") return null;
  const standing = error.details.supplierHoldId;
  return typeof standing === "string" ? standing : null;
}
