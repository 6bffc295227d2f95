import {
  DomainError,
  SUBJECTS,
  appendAudit,
  enqueueEvent,
  parseInput,
  requireInternal,
  withIdempotency,
  type Database,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as holds from "../store/hold-store.ts";
import type { LotHoldRecord } from "../store/hold-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { lockLots } from "../store/ledger-store.ts";
import { actorOf, id, performedBy, reason, reviveLot, type Actor } from "./common.ts";
import { stockView } from "./ledger.ts";
import type { LotRecord, LotStatus } from "./records.ts";

/** A recall-sized hold: far beyond a real one, small enough to finish in one transaction. */
const MAX_LOTS = 50_000;

const holdSchema = z.object({
  lotIds: z.array(id).min(1, "at least one lot").max(MAX_LOTS),
  holdId: z.string().trim().min(1, "required").max(200),
  reason,
  performedBy,
  idempotencyKey: z.string().min(1, "required").max(200),
});
type HoldInput = Omit<z.output<typeof holdSchema>, "idempotencyKey" | "performedBy">;

/** Statuses a hold takes a lot out of; it returns to the same one when its last hold is released. */
const HOLDABLE: readonly LotStatus[] = ["AVAILABLE", "QUARANTINE"];

/**
 * Quality's holds, as inventory keeps them: a lot carries any number of active holds (table
 * `lot_hold`) and is ON_HOLD while one of those that took it out of AVAILABLE or QUARANTINE is
 * active. Holds change availability, never quantity, so they post no ledger movement. Placing and
 * releasing are synchronous internal calls (DESIGN.md §4.5): when `setLotHold` returns, consumption
 * and shipment of every lot are refused by `requireUsable` (invariant 1).
 */
export class HoldService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  async setLotHold(caller: Principal | null, raw: unknown): Promise<LotRecord[]> {
    const { actor, input, key, request } = this.#parse(caller, raw);
    const lots = await this.db.transaction((tx) =>
      withIdempotency(tx, "setLotHold", key, request, async () => {
        const { locked, rows } = await lockWithHolds(tx, input.lotIds);
        const now = new Date();
        const released = input.lotIds.filter((lotId) => rows.get(lotId)?.some(isReleasedAs(input.holdId)));
        if (released.length > 0) {
          throw new DomainError(
            "CONFLICT",
            `hold ${input.holdId} was already released from ${released.length} lot(s)`,
            {
              holdId: input.holdId,
              lotIds: released,
            },
          );
        }
        const result: LotRecord[] = [];
        for (const lotId of input.lotIds) {
          const before = required(locked, lotId);
          const active = (rows.get(lotId) ?? []).filter((row) => row.releasedAt === null);
          if (active.some((row) => row.holdId === input.holdId)) {
            result.push(before);
            continue;
          }
          // Under other holds, the lot's own status is the one the first of them remembered.
          const underlying = active[0]?.previousStatus ?? before.status;
          await holds.insertHolds(tx, [
            { lotId, holdId: input.holdId, previousStatus: underlying, placedAt: now, releasedAt: null },
          ]);
          const after = HOLDABLE.includes(before.status) ? await holds.setLotStatus(tx, lotId, "ON_HOLD") : before;
          await record(tx, actor, "lot.held", SUBJECTS.inventory.lotHeld, input, before, after, active.length + 1);
          result.push(after);
        }
        return result;
      }),
    );
    return lots.map(reviveLot);
  }

  async clearLotHold(caller: Principal | null, raw: unknown): Promise<LotRecord[]> {
    const { actor, input, key, request } = this.#parse(caller, raw);
    const lots = await this.db.transaction((tx) =>
      withIdempotency(tx, "clearLotHold", key, request, async () => {
        const { locked, rows } = await lockWithHolds(tx, input.lotIds);
        const now = new Date();
        const result: LotRecord[] = [];
        for (const lotId of input.lotIds) {
          const before = required(locked, lotId);
          const active = (rows.get(lotId) ?? []).filter((row) => row.releasedAt === null);
          const released = active.find((row) => row.holdId === input.holdId);
          if (!released) {
            result.push(before);
            continue;
          }
          await holds.releaseHold(tx, input.holdId, [lotId], now);
          const remaining = active.length - 1;
          const restored = remaining === 0 ? statusAfterLastRelease(before.status, released.previousStatus) : null;
          const after = restored ? await holds.setLotStatus(tx, lotId, restored) : before;
          await record(tx, actor, "lot.released", SUBJECTS.inventory.lotReleased, input, before, after, remaining);
          result.push(after);
        }
        return result;
      }),
    );
    return lots.map(reviveLot);
  }

  #parse(caller: Principal | null, raw: unknown) {
    const service = requireInternal(caller);
    const { idempotencyKey: key, performedBy: person, ...parsed } = parseInput(holdSchema, raw);
    const input: HoldInput = { ...parsed, lotIds: [...new Set(parsed.lotIds)] };
    return { actor: actorOf(service, person), input, key, request: { ...input, performedBy: person ?? null } };
  }
}

/**
 * What a lot becomes when its last hold is released: the status it had before its holds. Only an
 * ON_HOLD lot changes: one consumed, shipped or scrapped meanwhile (or held after it was) stays
 * so. A lot that was ON_HOLD with no hold recorded (set by hand) stays ON_HOLD: nothing here
 * knows why it was held.
 */
export function statusAfterLastRelease(current: LotStatus, previous: LotStatus): LotStatus | null {
  if (current !== "ON_HOLD") return null;
  if (previous === "QUARANTINE") return "QUARANTINE";
  if (previous === "AVAILABLE") return "AVAILABLE";
  return null;
}

/** Locks the lots in id order (as every lot writer does) and reads their hold rows; unknown ids refuse. */
async function lockWithHolds(
  tx: InventoryTx,
  lotIds: readonly string[],
): Promise<{ locked: Map<string, LotRecord>; rows: Map<string, LotHoldRecord[]> }> {
  const locked = await lockLots(tx, lotIds);
  const unknown = lotIds.filter((lotId) => !locked.has(lotId));
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
  for (const row of await holds.findHolds(tx, lotIds)) rows.set(row.lotId, [...(rows.get(row.lotId) ?? []), row]);
  return { locked, rows };
}

const isReleasedAs = (holdId: string) => (row: LotHoldRecord) => row.holdId === holdId && row.releasedAt !== null;

function required(locked: Map<string, LotRecord>, lotId: string): LotRecord {
  const lot = locked.get(lotId);
  if (!lot) throw new Error(`lot ${lotId} was locked but not read`);
  return lot;
}

/** The audit entry (its reason names the hold: the cause) and the event of one lot's change. */
async function record(
  tx: InventoryTx,
  actor: Actor,
  action: "lot.held" | "lot.released",
  subject: string,
  input: HoldInput,
  before: LotRecord,
  after: LotRecord,
  activeHolds: number,
): Promise<void> {
  await appendAudit(tx, {
    actor,
    action,
    entityType: "Lot",
    entityId: before.id,
    reason: `hold ${input.holdId}: ${input.reason}`,
    before: stockView(before),
    after: { ...stockView(after), holdId: input.holdId, activeHolds, via: actor.via },
  });
  await enqueueEvent(tx, {
    subject,
    entityType: "Lot",
    entityId: before.id,
    payload: {
      lotId: before.id,
      materialId: before.materialId,
      holdId: input.holdId,
      status: after.status,
      previousStatus: before.status,
      activeHolds,
      reason: input.reason,
    },
  });
}
