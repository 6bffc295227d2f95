import { randomUUID } from "node:crypto";
import {
  completeJournalled,
  decodeCursor,
  journalledCommand,
  notFound,
  readPage,
  requireAuthenticated,
  toConnection,
  type Connection,
  type Journalled,
  type PendingWrite,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as holdStore from "../store/hold-store.ts";
import * as store from "../store/supplier-hold-store.ts";
import { conflict, derivedUuid, type QualityDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { afterKey } from "./holds.ts";
import { recordPlacement, releaseHolds } from "./placements.ts";
import { refuseReleaseDuringRecall } from "./recall-guard.ts";
import { holdsInOrder, vanished } from "./quality-command.ts";
import { NOT_RELEASED, type HoldRecord, type ReleaseRecord, type SupplierHoldRecord } from "./records.ts";
import {
  requireSignatureGiven,
  reviveRelease,
  signatureInput,
  signedRelease,
  signedRequest,
  verifySignature,
} from "./signatures.ts";

const placeSchema = z.object({
  supplierId: id,
  supplierLotCode: z.string().trim().min(1, "required").max(64),
  reason: text(500),
  idempotencyKey,
  // Set by a recall's containment only (decision 0029): the public input has no such field.
  otherSuppliers: z.boolean().default(false),
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
  place(caller: Principal | null, raw: unknown, requestId: string): Promise<PlacedSupplierHold> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "placeSupplierHold",
      role: "MANAGER",
      input: placeSchema,
      journal: async (input, principal) => {
        const [active] = await store.activeSupplierHolds(this.deps.db.client, input.supplierId, input.supplierLotCode);
        if (active)
          throw conflict(`supplier lot ${input.supplierLotCode} is already on hold`, { supplierHoldId: active.id });
        const key = input.idempotencyKey;
        const holdId = key ? derivedUuid(`placeSupplierHold:${principal.id}:${key}`) : randomUUID();
        return { holdId, placedAt: new Date().toISOString() };
      },
      complete: (write) => this.completePlacement(write, requestId),
      reload: (stored: Stored) => this.reload(stored),
    });
  }

  /** Inventory holds the code's lots, then quality records the supplier hold, once (request or recovery). */
  completePlacement(write: PendingWrite<SupplierPlacementWrite>, requestId: string): Promise<PlacedSupplierHold> {
    return completeJournalled(this.deps.db, write, {
      name: "placeSupplierHold",
      call: ({ holdId, input, actor }) =>
        this.deps.inventory.setSupplierHold(
          {
            holdId,
            supplierId: input.supplierId,
            supplierLotCode: input.supplierLotCode,
            otherSuppliers: input.otherSuppliers ?? false,
            reason: `supplier hold ${holdId} on supplier lot ${input.supplierLotCode}: ${input.reason}`,
            performedBy: actor,
            idempotencyKey: `supplier-hold:${holdId}`,
          },
          requestId,
        ),
      run: async ({ tx, actor, write: { holdId, input, placedAt }, called: held }) => {
        await store.insertSupplierHold(tx, {
          id: holdId,
          supplierId: input.supplierId,
          supplierLotCode: input.supplierLotCode,
          reason: input.reason,
          placedAt: new Date(placedAt),
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
      },
      reload: (stored) => this.reload(stored),
    });
  }

  /**
   * Releases a supplier hold with an electronic signature (MANAGER): every hold it placed, and
   * later receipts of the code arrive as usual again. Already released is CONFLICT.
   */
  release(caller: Principal | null, raw: unknown, requestId: string): Promise<SupplierHoldRecord> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "releaseSupplierHold",
      role: "MANAGER",
      input: releaseSchema,
      request: (input, principal) => signedRequest(input, principal),
      journal: async (input, principal) => {
        const [hold] = await store.findSupplierHolds(this.deps.db.client, [input.supplierHoldId]);
        if (!hold) throw notFound("SupplierHold", input.supplierHoldId);
        if (hold.releasedAt) throw alreadyReleased(hold.id);
        await refuseReleaseDuringRecall(this.deps.db.client, hold.id, `supplier hold ${hold.id}`);
        const given = requireSignatureGiven(principal, input.signature);
        const signed = await verifySignature(this.deps.identity, principal, given, requestId);
        return {
          supplierHoldId: hold.id,
          release: signedRelease(principal, input.reason, signed),
          inventoryKey: `release-supplier:${hold.id}:${principal.id}:${input.idempotencyKey ?? randomUUID()}`,
        };
      },
      complete: (write) => this.completeRelease(write, requestId),
      reload: (supplierHoldId: string) => this.load(supplierHoldId),
    });
  }

  /** Inventory releases the code's lots, then quality records the signed release, once (request or recovery). */
  completeRelease(write: PendingWrite<SupplierReleaseWrite>, requestId: string): Promise<SupplierHoldRecord> {
    const release = reviveRelease(write.payload.release);
    return completeJournalled(this.deps.db, write, {
      name: "releaseSupplierHold",
      call: ({ supplierHoldId, input, actor, inventoryKey }) =>
        this.deps.inventory.clearLotHold(
          {
            lotIds: null,
            holdId: supplierHoldId,
            reason: `released supplier hold ${supplierHoldId} (signed by ${release.signerName}, "${release.signatureMeaning}"): ${input.reason}`,
            performedBy: actor,
            idempotencyKey: inventoryKey,
          },
          requestId,
        ),
      run: async ({ tx, actor, write: { supplierHoldId } }) => {
        await holdStore.lockPlacement(tx, supplierHoldId);
        const locked = await store.lockSupplierHold(tx, supplierHoldId);
        if (locked?.releasedAt) throw alreadyReleased(supplierHoldId);
        await store.markSupplierHoldReleased(tx, supplierHoldId, release);
        await releaseHolds(tx, await holdStore.holdsOfPlacement(tx, supplierHoldId), release, actor);
        return supplierHoldId;
      },
      reload: (supplierHoldId) => this.load(supplierHoldId),
    });
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
    updatedSince: Date | null = null,
  ): Promise<Connection<SupplierHoldRecord>> {
    requireAuthenticated(caller);
    const page = readPage(args);
    const after = args.after ? afterKey(decodeCursor(args.after)) : null;
    const { rows, total } = await store.pageSupplierHolds(
      this.deps.db.client,
      activeOnly,
      after,
      page.limit,
      updatedSince,
    );
    return toConnection(rows, page, (h) => [h.placedAt.toISOString(), h.id], total);
  }

  private async reload(stored: Stored): Promise<PlacedSupplierHold> {
    return {
      supplierHold: await this.load(stored.supplierHoldId),
      holds: await holdsInOrder(this.deps.db.client, stored.holdIds),
      affectedLotIds: stored.affectedLotIds,
    };
  }

  private async load(id: string): Promise<SupplierHoldRecord> {
    const [hold] = await store.findSupplierHolds(this.deps.db.client, [id]);
    return hold ?? vanished("supplier hold", id);
  }
}

/** A supplier hold journalled before inventory is called: everything its completion needs. */
export type SupplierPlacementWrite = Journalled<
  { holdId: string; placedAt: string },
  // otherSuppliers: absent in a write journalled before decision 0029 (false).
  { supplierId: string; supplierLotCode: string; reason: string; otherSuppliers?: boolean }
>;

/** A signed supplier-hold release journalled before inventory is called (no password). */
export type SupplierReleaseWrite = Journalled<
  { supplierHoldId: string; release: ReleaseRecord; inventoryKey: string },
  { supplierHoldId: string; reason: string; meaning: string }
>;

type Stored = {
  supplierHoldId: string;
  holdIds: string[];
  affectedLotIds: string[];
};

const alreadyReleased = (id: string) => conflict("this supplier hold is already released", { supplierHoldId: id });
