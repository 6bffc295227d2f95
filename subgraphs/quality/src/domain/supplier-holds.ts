import { randomUUID } from "node:crypto";
import {
  decodeCursor,
  notFound,
  parseInput,
  readPage,
  requireAuthenticated,
  requireRole,
  toConnection,
  beginPendingWrite,
  completePendingWrite,
  runPendingWrite,
  withIdempotency,
  type Connection,
  type PendingWrite,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as holdStore from "../store/hold-store.ts";
import * as store from "../store/supplier-hold-store.ts";
import { actorOf, conflict, derivedUuid, storedResult, type QualityDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { afterKey } from "./holds.ts";
import { recordPlacement, releaseHolds } from "./placements.ts";
import type { PerformedBy } from "./peers.ts";
import { NOT_RELEASED, type HoldRecord, type ReleaseRecord, type SupplierHoldRecord } from "./records.ts";
import { requireSignatureGiven, reviveRelease, signatureInput, signedRelease, verifySignature } from "./signatures.ts";

const placeSchema = z.object({
  supplierId: id,
  supplierLotCode: z.string().trim().min(1, "required").max(64),
  reason: text(500),
  idempotencyKey,
});
const releaseSchema = z.object({ supplierHoldId: id, reason: text(500), signature: signatureInput, idempotencyKey });

export interface PlacedSupplierHold {
  supplierHold: SupplierHoldRecord;
  holds: HoldRecord[];
  affectedLotIds: string[];
}

/**
 * Standing holds on a supplier lot code (the supplier calls: lot SL-4471 may be contaminated).
 * Every lot received under the code so far and every descendant is held at once, and every later
 * receipt of the code arrives ON_HOLD (inventory decides it inside the receipt), until the
 * supplier hold is released with a signature.
 */
export class SupplierHoldService {
  constructor(private readonly deps: QualityDeps) {}

  /** Places a supplier hold (MANAGER); one already active on the same code is CONFLICT. */
  async place(caller: Principal | null, raw: unknown, requestId: string): Promise<PlacedSupplierHold> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...input } = parseInput(placeSchema, raw);
    const earlier = await storedResult<Stored>(this.deps, "placeSupplierHold", key, input);
    if (earlier) return this.reload(earlier);
    const [active] = await store.activeSupplierHolds(this.deps.db.client, input.supplierId, input.supplierLotCode);
    if (active)
      throw conflict(`supplier lot ${input.supplierLotCode} is already on hold`, { supplierHoldId: active.id });

    const holdId = key ? derivedUuid(`placeSupplierHold:${actor.id}:${key}`) : randomUUID();
    const write = await beginPendingWrite<SupplierPlacementWrite>(this.deps.db, "placeSupplierHold", actor.id, {
      holdId,
      input,
      key: key ?? null,
      actor: actorOf(actor),
      placedAt: new Date().toISOString(),
    });
    return runPendingWrite(this.deps.db, write.id, () => this.completePlacement(write, requestId));
  }

  /** Inventory holds the code's lots, then quality records the supplier hold, once (request or recovery). */
  async completePlacement(write: PendingWrite<SupplierPlacementWrite>, requestId: string): Promise<PlacedSupplierHold> {
    const { holdId, input, key, actor } = write.payload;
    const held = await this.deps.inventory.setSupplierHold(
      {
        holdId,
        supplierId: input.supplierId,
        supplierLotCode: input.supplierLotCode,
        reason: `supplier hold ${holdId} on supplier lot ${input.supplierLotCode}: ${input.reason}`,
        performedBy: actor,
        idempotencyKey: `supplier-hold:${holdId}`,
      },
      requestId,
    );
    const stored = await this.deps.db.transaction((tx) =>
      completePendingWrite(tx, write.id, () =>
        withIdempotency(tx, "placeSupplierHold", key, input, async () => {
          await store.insertSupplierHold(tx, {
            id: holdId,
            supplierId: input.supplierId,
            supplierLotCode: input.supplierLotCode,
            reason: input.reason,
            placedAt: new Date(write.payload.placedAt),
            placedById: actor.id,
            placedByName: actor.name,
            ...NOT_RELEASED,
          });
          const holds = await recordPlacement(
            tx,
            { id: holdId, kind: "supplier", reason: input.reason, decisionId: null, propagate: true, actor },
            held.map((lot) => ({ lotId: lot.id })),
          );
          return { supplierHoldId: holdId, holdIds: holds.map((h) => h.id), affectedLotIds: held.map((lot) => lot.id) };
        }),
      ),
    );
    return this.reload(stored);
  }

  /**
   * Releases a supplier hold with an electronic signature (MANAGER): every hold it placed, and
   * later receipts of the code arrive as usual again. Already released is CONFLICT.
   */
  async release(caller: Principal | null, raw: unknown, requestId: string): Promise<SupplierHoldRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, signature, ...parsed } = parseInput(releaseSchema, raw);
    const given = requireSignatureGiven(actor, signature);
    const input = { ...parsed, meaning: given.meaning };
    const earlier = await storedResult<string>(this.deps, "releaseSupplierHold", key, input);
    if (earlier) return this.load(earlier);
    const [hold] = await store.findSupplierHolds(this.deps.db.client, [input.supplierHoldId]);
    if (!hold) throw notFound("SupplierHold", input.supplierHoldId);
    if (hold.releasedAt) throw alreadyReleased(hold.id);
    const signed = await verifySignature(this.deps.identity, actor, given, requestId);
    const write = await beginPendingWrite<SupplierReleaseWrite>(this.deps.db, "releaseSupplierHold", actor.id, {
      supplierHoldId: hold.id,
      input,
      key: key ?? null,
      actor: actorOf(actor),
      release: signedRelease(actor, input.reason, signed),
      inventoryKey: `release-supplier:${hold.id}:${actor.id}:${key ?? randomUUID()}`,
    });
    return runPendingWrite(this.deps.db, write.id, () => this.completeRelease(write, requestId));
  }

  /** Inventory releases the code's lots, then quality records the signed release, once (request or recovery). */
  async completeRelease(write: PendingWrite<SupplierReleaseWrite>, requestId: string): Promise<SupplierHoldRecord> {
    const { supplierHoldId, input, key, actor, inventoryKey } = write.payload;
    const release = reviveRelease(write.payload.release);
    await this.deps.inventory.clearLotHold(
      {
        lotIds: null,
        holdId: supplierHoldId,
        reason: `released supplier hold ${supplierHoldId} (signed by ${release.signerName}, "${release.signatureMeaning}"): ${input.reason}`,
        performedBy: actor,
        idempotencyKey: inventoryKey,
      },
      requestId,
    );
    const id = await this.deps.db.transaction((tx) =>
      completePendingWrite(tx, write.id, () =>
        withIdempotency(tx, "releaseSupplierHold", key, input, async () => {
          await holdStore.lockPlacement(tx, supplierHoldId);
          const locked = await store.lockSupplierHold(tx, supplierHoldId);
          if (locked?.releasedAt) throw alreadyReleased(supplierHoldId);
          await store.markSupplierHoldReleased(tx, supplierHoldId, release);
          await releaseHolds(tx, await holdStore.holdsOfPlacement(tx, supplierHoldId), release, actor);
          return supplierHoldId;
        }),
      ),
    );
    return this.load(id);
  }

  async supplierHold(caller: Principal | null, id: string): Promise<SupplierHoldRecord | null> {
    requireAuthenticated(caller);
    const [hold] = await store.findSupplierHolds(this.deps.db.client, [id]);
    return hold ?? null;
  }

  async supplierHolds(
    caller: Principal | null,
    activeOnly: boolean,
    args: PageArgs,
  ): Promise<Connection<SupplierHoldRecord>> {
    requireAuthenticated(caller);
    const page = readPage(args);
    const after = args.after ? afterKey(decodeCursor(args.after)) : null;
    const { rows, total } = await store.pageSupplierHolds(this.deps.db.client, activeOnly, after, page.limit);
    return toConnection(rows, page, (h) => [h.placedAt.toISOString(), h.id], total);
  }

  private async reload(stored: Stored): Promise<PlacedSupplierHold> {
    const holds = await holdStore.findHolds(this.deps.db.client, stored.holdIds);
    const byId = new Map(holds.map((h) => [h.id, h]));
    return {
      supplierHold: await this.load(stored.supplierHoldId),
      holds: stored.holdIds.flatMap((hid) => byId.get(hid) ?? []),
      affectedLotIds: stored.affectedLotIds,
    };
  }

  private async load(id: string): Promise<SupplierHoldRecord> {
    const [hold] = await store.findSupplierHolds(this.deps.db.client, [id]);
    if (!hold) throw new Error(`supplier hold ${id} vanished after a committed change`);
    return hold;
  }
}

/** A supplier hold journalled before inventory is called: everything its completion needs. */
export interface SupplierPlacementWrite {
  holdId: string;
  input: { supplierId: string; supplierLotCode: string; reason: string };
  key: string | null;
  actor: PerformedBy;
  placedAt: string;
}

/** A signed supplier-hold release journalled before inventory is called (no password). */
export interface SupplierReleaseWrite {
  supplierHoldId: string;
  input: { supplierHoldId: string; reason: string; meaning: string };
  key: string | null;
  actor: PerformedBy;
  release: ReleaseRecord;
  inventoryKey: string;
}

interface Stored {
  supplierHoldId: string;
  holdIds: string[];
  affectedLotIds: string[];
}

const alreadyReleased = (id: string) => conflict("this supplier hold is already released", { supplierHoldId: id });
