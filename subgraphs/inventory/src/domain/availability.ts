import { DomainError, SUBJECTS } from "@lotgraph/kit";
import * as holdStore from "../store/hold-store.ts";
import type { LotHoldRecord } from "../store/hold-store.ts";
import type { InventoryTx } from "../store/inventory-store.ts";
import { lockLots } from "../store/ledger-store.ts";
import type { InventoryCommand } from "./inventory-command.ts";
import { stockView } from "./ledger.ts";
import { statusFor } from "./lot-rules.ts";
import type { LotRecord, LotStatus } from "./records.ts";

/** A hold placed on a lot: quality's id for it, and why. */
export interface HoldPlacement {
  holdId: string;
  reason: string;
  /**
   * Placed by inventory itself at a lot's creation (inherited from a held ancestor, from a held
   * run or from a held supplier lot code), not by a call from quality: quality records it from
   * the event (see `automatic` in the `lot.held` payload).
   */
  automatic?: { causeLotId: string | null };
}

/**
 * One change to what decides lots' availability: a hold placed or released, release
 * requirements added or met. Holds change availability, never quantity: no ledger movement.
 */
export interface AvailabilityChange {
  hold?: HoldPlacement;
  release?: { holdId: string };
  addPending?: readonly string[];
  removePending?: readonly string[];
  /** Recorded on every audit entry and event of the change. */
  reason: string;
}

export interface LotChange {
  before: LotRecord;
  after: LotRecord;
  /** Active holds on the lot after the change. */
  activeHolds: number;
}

/**
 * Applies `change` to each lot (locked here, in id order, like every lot writer): writes the hold
 * rows and the lot's release requirements, derives its status (`statusFor`), and writes one audit
 * entry and one event per lot that changed. Unknown lot ids are BAD_USER_INPUT; a lot whose hold
 * `change.hold` was already released keeps it released (a placement never comes back).
 */
export async function changeAvailability(
  cmd: InventoryCommand,
  lotIds: readonly string[],
  change: AvailabilityChange,
): Promise<LotChange[]> {
  const { locked, rows } = await lockWithHolds(cmd.tx, lotIds);
  const now = new Date();
  const changes: LotChange[] = [];
  for (const lotId of new Set(lotIds)) {
    changes.push(await changeOne(cmd, locked.get(lotId)!, rows.get(lotId) ?? [], change, now));
  }
  return changes;
}

/** Applies `change` to one locked lot with its hold rows; records it when anything changed. */
async function changeOne(
  cmd: InventoryCommand,
  before: LotRecord,
  lotRows: readonly LotHoldRecord[],
  change: AvailabilityChange,
  now: Date,
): Promise<LotChange> {
  const { tx } = cmd;
  const lotId = before.id;
  let active = lotRows.filter((row) => row.releasedAt === null);
  const pending = nextPending(before.releasePending, change);
  let holdChanged = false;
  const hold = change.hold;
  if (hold && !lotRows.some((row) => row.holdId === hold.holdId)) {
    // `previous_status`: what the lot would be without its holds, kept as the hold's history.
    const placed: LotHoldRecord = {
      lotId,
      holdId: hold.holdId,
      previousStatus: statusFor(before.status, { activeHolds: 0, pending }),
      placedAt: now,
      releasedAt: null,
    };
    await holdStore.insertHolds(tx, [placed]);
    active = [...active, placed];
    holdChanged = true;
  }
  const release = change.release;
  if (release && active.some((row) => row.holdId === release.holdId)) {
    await holdStore.releaseHold(tx, release.holdId, [lotId], now);
    active = active.filter((row) => row.holdId !== release.holdId);
    holdChanged = true;
  }
  const pendingChanged = !sameItems(pending, before.releasePending);
  if (!holdChanged && !pendingChanged) return { before, after: before, activeHolds: active.length };
  const status = statusFor(before.status, { activeHolds: active.length, pending });
  const after = await holdStore.setLotAvailability(tx, lotId, status, pending);
  record(cmd, change, before, after, active.length, holdChanged);
  return { before, after, activeHolds: active.length };
}

/** The lot's release requirements after the change: sorted, each once. */
function nextPending(current: readonly string[], change: AvailabilityChange): string[] {
  const next = new Set([...current, ...(change.addPending ?? [])]);
  for (const item of change.removePending ?? []) next.delete(item);
  return [...next].sort();
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  const sorted = [...b].sort();
  return a.length === sorted.length && a.every((item, index) => item === sorted[index]);
}

/** Locks the lots and reads their hold rows; unknown ids refuse the whole change. */
async function lockWithHolds(
  tx: InventoryTx,
  lotIds: readonly string[],
): Promise<{ locked: Map<string, LotRecord>; rows: Map<string, LotHoldRecord[]> }> {
  const locked = await lockLots(tx, lotIds);
  const unknown = [...new Set(lotIds)].filter((lotId) => !locked.has(lotId));
  if (unknown.length > 0) {
    throw new DomainError(
      "BAD_USER_INPUT",
      `${unknown.length} lot(s) do not exist: ${unknown.slice(0, 20).join(", ")}`,
      {
        field: "lotIds",
        unknownLotIds: unknown,
      },
    );
  }
  const rows = new Map<string, LotHoldRecord[]>();
  for (const row of await holdStore.findHolds(tx, lotIds)) rows.set(row.lotId, [...(rows.get(row.lotId) ?? []), row]);
  return { locked, rows };
}

/** The audit entry (its reason names the hold: the cause) and the event of one lot's change. */
function record(
  cmd: InventoryCommand,
  change: AvailabilityChange,
  before: LotRecord,
  after: LotRecord,
  activeHolds: number,
  holdChanged: boolean,
): void {
  const { actor } = cmd;
  const holdId = change.hold?.holdId ?? change.release?.holdId ?? null;
  const action = actionOf(change, before, after, holdChanged);
  const automatic = change.hold?.automatic ?? null;
  cmd.record.audit({
    action,
    entityType: "Lot",
    entityId: before.id,
    reason: holdId ? `hold ${holdId}: ${change.reason}` : change.reason,
    before: { ...stockView(before), releasePending: before.releasePending },
    after: {
      ...stockView(after),
      releasePending: after.releasePending,
      ...(holdId ? { holdId, activeHolds } : {}),
      ...(automatic ? { inheritedFrom: automatic.causeLotId } : {}),
      via: actor.via,
    },
  });
  const common = {
    lotId: before.id,
    materialId: before.materialId,
    status: after.status,
    previousStatus: before.status as LotStatus,
    pending: after.releasePending,
    reason: change.reason,
  };
  if (holdChanged && holdId) {
    cmd.record.event({
      subject: change.hold ? SUBJECTS.inventory.lotHeld : SUBJECTS.inventory.lotReleased,
      entityType: "Lot",
      entityId: before.id,
      payload: {
        ...common,
        holdId,
        activeHolds,
        ...(automatic ? { automatic: true, causeLotId: automatic.causeLotId } : {}),
      },
    });
  } else {
    cmd.record.event({
      subject: SUBJECTS.inventory.lotReleaseChanged,
      entityType: "Lot",
      entityId: before.id,
      payload: common,
    });
  }
}

/** The audit action of one lot's change. */
function actionOf(change: AvailabilityChange, before: LotRecord, after: LotRecord, holdChanged: boolean): string {
  if (holdChanged) return change.hold ? "lot.held" : "lot.released";
  return after.releasePending.length > before.releasePending.length ? "lot.quarantined" : "lot.releaseRequirementMet";
}
