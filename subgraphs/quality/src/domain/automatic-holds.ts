import { command, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import type { QualityTx } from "../store/db.ts";
import { findDecisionByHold } from "../store/decision-store.ts";
import { findHolds } from "../store/hold-store.ts";
import { findSupplierHolds } from "../store/supplier-hold-store.ts";
import { AUTOMATIC, type QualityDeps } from "./common.ts";
import { id } from "@lotgraph/kit";
import { recordPlacement, type Placement } from "./placements.ts";
import { holdsInOrder } from "./quality-command.ts";
import { releaseOf, type HoldRecord } from "./records.ts";

const automaticHold = z.object({
  holdId: id,
  causeLotId: id.nullish(),
  reason: z.string().trim().min(1).max(2000),
});
const recordSchema = z.object({ lotId: id, holds: z.array(automaticHold).min(1).max(100) });

export type AutomaticHoldReport = z.output<typeof automaticHold>;

/**
 * Holds inventory placed on a lot by itself as it created it: inherited from a held ancestor,
 * from a held run, or from a held supplier lot code. Quality records each as a Hold of the
 * placement it joins, placed by Lotgraph. Production reports them as soon as an output is
 * recorded; the same facts arrive later from inventory's `lot.held` events (projection.ts), so
 * nothing is lost when that call fails. Both are idempotent: one Hold per lot and placement.
 */
export class AutomaticHoldService {
  constructor(private readonly deps: QualityDeps) {}

  /** Internal (service token): records the holds a new lot was born under. */
  record(caller: Principal | null, raw: unknown): Promise<HoldRecord[]> {
    return command(this.deps.db, caller, raw, {
      name: "recordAutomaticHolds",
      role: "internal",
      input: recordSchema,
      run: async ({ tx, input }) => (await recordAutomaticHolds(tx, input.lotId, input.holds)).map((hold) => hold.id),
      reload: (holdIds, { tx }) => holdsInOrder(tx, holdIds),
    });
  }
}

/** Records, in the caller's transaction, each hold inventory placed on `lotId` at its creation. */
export async function recordAutomaticHolds(
  tx: QualityTx,
  lotId: string,
  holds: readonly AutomaticHoldReport[],
): Promise<HoldRecord[]> {
  const recorded: HoldRecord[] = [];
  for (const hold of holds) {
    const placement = await placementOf(tx, hold);
    const lot = { lotId, inherited: { causeLotId: hold.causeLotId ?? null, reason: hold.reason } };
    recorded.push(...(await recordPlacement(tx, placement, [lot])));
  }
  return recorded;
}

/**
 * The placement an automatic hold joins. A supplier hold's, or a root's: a decision on a run
 * that had no output yet has no root until its first output is held, which becomes it.
 */
async function placementOf(tx: QualityTx, hold: AutomaticHoldReport): Promise<Placement> {
  const [supplier] = await findSupplierHolds(tx, [hold.holdId]);
  if (supplier)
    return {
      id: supplier.id,
      kind: "supplier",
      reason: supplier.reason,
      decisionId: null,
      propagate: true,
      actor: AUTOMATIC,
      supplierRelease: releaseOf(supplier),
    };
  const [root] = await findHolds(tx, [hold.holdId]);
  const decision = root ? null : await findDecisionByHold(tx, hold.holdId);
  return {
    id: hold.holdId,
    kind: "root",
    reason: root?.reason ?? hold.reason,
    decisionId: root?.decisionId ?? decision?.id ?? null,
    propagate: true,
    actor: AUTOMATIC,
    mayCreateRoot: decision !== null,
  };
}
