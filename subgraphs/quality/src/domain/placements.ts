import { randomUUID } from "node:crypto";
import { SUBJECTS, appendAudit, enqueueEvent } from "@lotgraph/kit";
import type { QualityTx } from "../store/db.ts";
import * as holdStore from "../store/hold-store.ts";
import type { PerformedBy } from "./peers.ts";
import { NOT_RELEASED, releaseOf, type HoldRecord, type ReleaseRecord } from "./records.ts";

/**
 * A placement: one decision to hold lots (a hold placed by hand, a HOLD or FAIL, a line hold, a
 * supplier hold), known to inventory by one id. Every lot it holds gets one Hold here. A root
 * placement's first hold is its root (id = the placement's id, `cause` null) and every other
 * hold names the root as its cause, so releasing the root releases them all. A supplier
 * placement has no root: its holds name the supplier hold instead.
 */
export interface Placement {
  id: string;
  kind: "root" | "supplier";
  reason: string;
  decisionId: string | null;
  /** A root placed to reach descendants (placeHold with propagate, every decision). */
  propagate: boolean;
  actor: PerformedBy;
  /** A supplier placement already released: holds recorded now are recorded released with it. */
  supplierRelease?: ReleaseRecord | null;
  /**
   * Whether the first hold recorded may become the root (default true). An automatic hold
   * reported before its placement's own transaction committed must not take the root from the
   * lot the placement is about: it names the root as its cause, and the placement creates it.
   */
  mayCreateRoot?: boolean;
}

/** One lot a placement holds. */
export interface LotToHold {
  lotId: string;
  /** An automatic hold: the held ancestor the lot was made from (null: a held run or supplier lot code). */
  inherited?: { causeLotId: string | null; reason: string };
}

/**
 * Records the holds of a placement that inventory has already made, in the caller's transaction:
 * one per lot not yet under it (a replay, or the same automatic hold reported twice, records
 * nothing more), with its audit entry and `hold.placed` event. The root is the first hold ever
 * recorded. A lot reaching an already released placement (inherited as its root was being
 * released) is recorded released with it, as inventory released it. Returns the placement's
 * holds on `lots`, in their order.
 */
export async function recordPlacement(
  tx: QualityTx,
  placement: Placement,
  lots: readonly LotToHold[],
): Promise<HoldRecord[]> {
  await holdStore.lockPlacement(tx, placement.id);
  const existing = await holdStore.holdsOfPlacement(tx, placement.id);
  const byLot = new Map(existing.map((hold) => [hold.lotId, hold]));
  const root = existing.find((hold) => hold.id === placement.id) ?? null;
  const placedAt = new Date();
  const created: HoldRecord[] = [];
  for (const lot of lots) {
    if (byLot.has(lot.lotId)) continue;
    const isNewRoot = placement.kind === "root" && !root && created.length === 0 && (placement.mayCreateRoot ?? true);
    const hold: HoldRecord = {
      id: isNewRoot ? placement.id : randomUUID(),
      lotId: lot.lotId,
      placementId: placement.id,
      reason: lot.inherited?.reason ?? placement.reason,
      causeId: causeOf(placement, isNewRoot, lot, byLot),
      supplierHoldId: placement.kind === "supplier" ? placement.id : null,
      decisionId: placement.decisionId,
      propagate: isNewRoot && placement.propagate,
      placedAt,
      placedById: placement.actor.id,
      placedByName: placement.actor.name,
      ...NOT_RELEASED,
    };
    created.push(hold);
    byLot.set(lot.lotId, hold);
  }
  await holdStore.insertHolds(tx, created);
  for (const hold of created) {
    const lot = lots.find((l) => l.lotId === hold.lotId);
    await appendAudit(tx, {
      actor: placement.actor,
      action: "hold.placed",
      entityType: "Hold",
      entityId: hold.id,
      reason: auditReason(placement, hold, lot?.inherited ?? null),
      after: hold,
    });
    await enqueueEvent(tx, {
      subject: SUBJECTS.quality.holdPlaced,
      entityType: "Hold",
      entityId: hold.id,
      payload: holdPayload(hold),
    });
  }
  const release = placement.kind === "root" ? root && releaseOf(root) : (placement.supplierRelease ?? null);
  if (release && created.length) await releaseHolds(tx, created, release, placement.actor);
  const released = release ? new Set(created.map((h) => h.id)) : new Set<string>();
  return lots.flatMap((lot) => {
    const hold = byLot.get(lot.lotId);
    if (!hold) return [];
    return [released.has(hold.id) && release ? { ...hold, ...release } : hold];
  });
}

/**
 * Releases holds in the caller's transaction: the release (with its signature) on each active
 * one, an audit entry and a `hold.released` event per hold. Returns those it released.
 */
export async function releaseHolds(
  tx: QualityTx,
  holds: readonly HoldRecord[],
  release: ReleaseRecord,
  actor: PerformedBy,
): Promise<HoldRecord[]> {
  const active = holds.filter((hold) => hold.releasedAt === null);
  await holdStore.markReleased(
    tx,
    active.map((hold) => hold.id),
    release,
  );
  for (const hold of active) {
    await appendAudit(tx, {
      actor,
      action: "hold.released",
      entityType: "Hold",
      entityId: hold.id,
      reason: release.releaseReason,
      before: { releasedAt: null },
      after: {
        lotId: hold.lotId,
        causeId: hold.causeId,
        placementId: hold.placementId,
        ...release,
        signature: { signerName: release.signerName, signedAt: release.signedAt, meaning: release.signatureMeaning },
      },
    });
    await enqueueEvent(tx, {
      subject: SUBJECTS.quality.holdReleased,
      entityType: "Hold",
      entityId: hold.id,
      payload: { ...holdPayload(hold), reason: release.releaseReason },
    });
  }
  return active.map((hold) => ({ ...hold, ...release }));
}

/** The root for a root placement's other holds; the held ancestor's hold for a supplier's. */
function causeOf(
  placement: Placement,
  isNewRoot: boolean,
  lot: LotToHold,
  byLot: ReadonlyMap<string, HoldRecord>,
): string | null {
  if (placement.kind === "root") return isNewRoot ? null : placement.id;
  const causeLotId = lot.inherited?.causeLotId;
  return causeLotId ? (byLot.get(causeLotId)?.id ?? null) : null;
}

function auditReason(placement: Placement, hold: HoldRecord, inherited: LotToHold["inherited"] | null): string {
  if (inherited) {
    const from = inherited.causeLotId ? `lot ${inherited.causeLotId}` : "a held run or supplier lot code";
    return `inherited at creation from ${from} under hold ${placement.id}: ${inherited.reason}`;
  }
  if (placement.kind === "supplier") return `supplier hold ${placement.id}: ${placement.reason}`;
  if (hold.causeId) return `propagated from hold ${hold.causeId}: ${placement.reason}`;
  return placement.reason;
}

const holdPayload = (hold: HoldRecord) => ({
  holdId: hold.id,
  lotId: hold.lotId,
  causeId: hold.causeId,
  decisionId: hold.decisionId,
  placementId: hold.placementId,
  supplierHoldId: hold.supplierHoldId,
  reason: hold.reason,
});
