import { DomainError, badInput, command, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import * as holdStore from "../store/hold-store.ts";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { descendantsOf, lockGenealogyExclusive, lotsOfSupplierCode } from "../store/ledger-genealogy.ts";
import * as release from "../store/release-store.ts";
import { changeAvailability } from "./availability.ts";
import { performedBy } from "./common.ts";
import { actingFor, idsOf, internalRequest, lotsInOrder, type InventoryCommand } from "./inventory-command.ts";
import { id, reason } from "@lotgraph/kit";
import type { LotRecord } from "./records.ts";

/** A recall-sized hold: far beyond a real one, small enough to finish in one transaction. */
const MAX_LOTS = 50_000;

const holdId = z.string().trim().min(1, "required").max(200);
const requiredKey = z.string().min(1, "required").max(200);
const holdSchema = z.object({
  lotIds: z.array(id).min(1, "at least one lot").max(MAX_LOTS),
  holdId,
  reason,
  propagate: z.boolean().nullish(),
  performedBy,
  idempotencyKey: requiredKey,
});
const clearSchema = z.object({
  /** Null: every lot under the hold, and the hold ends wherever it stands (runs, supplier lot codes). */
  lotIds: z.array(id).min(1, "at least one lot").max(MAX_LOTS).nullish(),
  holdId,
  reason,
  performedBy,
  idempotencyKey: requiredKey,
});
const supplierHoldSchema = z.object({
  holdId,
  supplierId: id,
  supplierLotCode: z.string().trim().min(1, "required").max(64),
  /** Also the code's lots from other suppliers and from none: a recall's hold (decision 0029). */
  otherSuppliers: z.boolean().default(false),
  reason,
  performedBy,
  idempotencyKey: requiredKey,
});

/**
 * Quality's holds, as inventory keeps them: a lot carries any number of holds (table `lot_hold`)
 * and is ON_HOLD while one is active (see `statusFor`). Placing and releasing are synchronous
 * internal calls (DESIGN.md §4.5): when `setLotHold` returns, consumption and shipment of every
 * held lot are refused (invariant 1). Descendants come from inventory's own ledger, in the same
 * transaction, so a hold reaches every lot whose production was committed before it, whatever
 * traceability's projection has seen yet.
 */
export class HoldService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  /** Holds the lots (and with propagate every descendant) under `holdId`: the lots first, then the descendants. */
  setLotHold(caller: Principal | null, raw: unknown): Promise<LotRecord[]> {
    return command(this.db, caller, raw, {
      name: "setLotHold",
      role: "internal",
      input: holdSchema,
      actor: actingFor,
      request: (input) => internalRequest({ ...input, lotIds: [...new Set(input.lotIds)] }),
      run: async (cmd) => {
        const { input } = cmd;
        const lotIds = [...new Set(input.lotIds)];
        await lockGenealogyExclusive(cmd.tx);
        await refuseReleased(cmd.tx, input.holdId, lotIds);
        return idsOf(await holdWithDescendants(cmd, lotIds, input.propagate ?? false, input.holdId, input.reason));
      },
      reload: (lotIds, { tx }) => lotsInOrder(tx, lotIds),
    });
  }

  /**
   * Releases `holdId` from the lots, or (no lots given) from every lot under it, ending it too on
   * the runs and supplier lot codes it stands on. A lot not under the hold is left as it is.
   */
  clearLotHold(caller: Principal | null, raw: unknown): Promise<LotRecord[]> {
    return command(this.db, caller, raw, {
      name: "clearLotHold",
      role: "internal",
      input: clearSchema,
      actor: actingFor,
      request: (input) => internalRequest({ ...input, lotIds: input.lotIds ?? null }),
      run: async (cmd) => {
        const { tx, input } = cmd;
        // Exclusive: a lot produced meanwhile inherits the hold either before (and is released
        // here) or after (and finds it ended), never in between.
        await lockGenealogyExclusive(tx);
        const lotIds = input.lotIds ?? (await holdStore.lotsUnderHold(tx, input.holdId));
        if (!input.lotIds) await release.endStandingHolds(tx, input.holdId, new Date());
        if (lotIds.length === 0) return [];
        const changes = await changeAvailability(cmd, lotIds, {
          release: { holdId: input.holdId },
          reason: input.reason,
        });
        return changes.map((c) => c.after.id);
      },
      reload: (lotIds, { tx }) => lotsInOrder(tx, lotIds),
    });
  }

  /**
   * A standing hold on a supplier lot code: every lot received under it so far, and every
   * descendant, is held under `holdId`, and later receipts of the code arrive ON_HOLD under it
   * until `clearLotHold(holdId)` without lots ends it.
   */
  setSupplierHold(caller: Principal | null, raw: unknown): Promise<LotRecord[]> {
    return command(this.db, caller, raw, {
      name: "setSupplierHold",
      role: "internal",
      input: supplierHoldSchema,
      actor: actingFor,
      request: internalRequest,
      run: async (cmd) => {
        const { tx, input } = cmd;
        const supplier = await store.findParty(tx, input.supplierId);
        if (supplier?.kind !== "SUPPLIER") throw badInput("supplierId", `${input.supplierId} is not a supplier`);
        await lockGenealogyExclusive(tx);
        const existing = await release.findSupplierHold(tx, input.holdId);
        if (existing?.releasedAt) throw alreadyReleased(input.holdId, []);
        await release.insertSupplierHold(tx, {
          holdId: input.holdId,
          supplierId: input.supplierId,
          supplierLotCode: input.supplierLotCode,
          reason: input.reason,
          placedAt: new Date(),
          releasedAt: null,
          otherSuppliers: input.otherSuppliers,
        });
        const received = await lotsOfSupplierCode(tx, input.supplierId, input.supplierLotCode, input.otherSuppliers);
        return idsOf(await holdWithDescendants(cmd, received, true, input.holdId, input.reason));
      },
      reload: (lotIds, { tx }) => lotsInOrder(tx, lotIds),
    });
  }
}

/**
 * Holds `lotIds` and, with `propagate`, every lot made from them (read from the ledger in this
 * transaction), under one hold id. Returns the lots as they are now: the given ones first.
 */
export async function holdWithDescendants(
  cmd: InventoryCommand,
  lotIds: readonly string[],
  propagate: boolean,
  holdId: string,
  reason: string,
): Promise<LotRecord[]> {
  if (lotIds.length === 0) return [];
  const descendants = propagate ? await descendantsOf(cmd.tx, lotIds) : [];
  const all = [...new Set([...lotIds, ...descendants])];
  const changes = await changeAvailability(cmd, all, { hold: { holdId, reason }, reason });
  return changes.map((c) => c.after);
}

/** A hold id already released from a lot is never placed again (a retry after the release). */
async function refuseReleased(tx: InventoryTx, holdId: string, lotIds: readonly string[]): Promise<void> {
  const released = (await holdStore.findHolds(tx, lotIds))
    .filter((row) => row.holdId === holdId && row.releasedAt !== null)
    .map((row) => row.lotId);
  if (released.length > 0) throw alreadyReleased(holdId, released);
}

const alreadyReleased = (holdId: string, lotIds: string[]) =>
  new DomainError(
    "CONFLICT",
    `hold ${holdId} was already released${lotIds.length ? ` from ${lotIds.length} lot(s)` : ""}`,
    {
      holdId,
      lotIds,
    },
  );
