import { randomUUID } from "node:crypto";
import {
  DomainError,
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
import { actorOf, conflict, derivedUuid, storedResult, type QualityDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { recordPlacement, releaseHolds } from "./placements.ts";
import type { PerformedBy } from "./peers.ts";
import { isRoot, type HoldRecord, type ReleaseRecord } from "./records.ts";
import { requireSignatureGiven, reviveRelease, signatureInput, signedRelease, verifySignature } from "./signatures.ts";

const placeSchema = z.object({ lotId: id, reason: text(500), propagate: z.boolean().nullish(), idempotencyKey });
const releaseSchema = z.object({ holdId: id, reason: text(500), signature: signatureInput, idempotencyKey });

export interface PlacedHolds {
  holds: HoldRecord[];
  affectedLotIds: string[];
  shippedLotIds: string[];
}

/**
 * Holds (DESIGN.md §4.5). Placing one first makes every lot unavailable in inventory (one
 * synchronous, idempotent internal call: inventory finds the descendants in its own ledger, in
 * the same transaction, so none committed before the hold escapes it), then records one Hold per
 * lot in one transaction with its audit entries and events. So when placeHold returns,
 * consumption and shipment of every held lot are already refused. Releasing the root of a
 * placement releases every hold of it, and ends it in inventory for lots made later.
 */
export class HoldService {
  constructor(private readonly deps: QualityDeps) {}

  /** Holds a lot and, with propagate, every descendant (MANAGER). */
  async placeHold(caller: Principal | null, raw: unknown, requestId: string): Promise<PlacedHolds> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...parsed } = parseInput(placeSchema, raw);
    const input = { ...parsed, propagate: parsed.propagate ?? false };
    const earlier = await storedResult<StoredPlacement>(this.deps, "placeHold", key, input);
    if (earlier) return this.reload(earlier);
    if (!(await this.deps.inventory.existingLots([input.lotId], requestId)).has(input.lotId))
      throw notFound("Lot", input.lotId);

    // Derived from the client's key, so a retry after a lost response names the same placement.
    const placementId = key ? derivedUuid(`placeHold:${actor.id}:${key}`) : randomUUID();
    const write = await beginPendingWrite<PlacementWrite>(this.deps.db, "placeHold", actor.id, {
      placementId,
      input,
      key: key ?? null,
      actor: actorOf(actor),
    });
    return runPendingWrite(this.deps.db, write.id, () => this.completePlacement(write, requestId));
  }

  /**
   * Inventory holds the lots, then quality records the placement, once. The request runs it; so
   * does recovery, for a placement its request journalled and did not finish (a crash, a peer
   * away): inventory answers the same lots again, by the same idempotency key.
   */
  async completePlacement(write: PendingWrite<PlacementWrite>, requestId: string): Promise<PlacedHolds> {
    const { placementId, input, key, actor } = write.payload;
    const held = await this.deps.inventory.setLotHold(
      {
        lotIds: [input.lotId],
        holdId: placementId,
        reason: `quality hold ${placementId} on lot ${input.lotId}${input.propagate ? " and its descendants" : ""}: ${input.reason}`,
        propagate: input.propagate,
        performedBy: actor,
        idempotencyKey: `hold:${placementId}`,
      },
      requestId,
    );
    const stored = await this.deps.db.transaction((tx) =>
      completePendingWrite(tx, write.id, () =>
        withIdempotency(tx, "placeHold", key, input, async () => {
          const holds = await recordPlacement(
            tx,
            {
              id: placementId,
              kind: "root",
              reason: input.reason,
              decisionId: null,
              propagate: input.propagate,
              actor,
            },
            held.map((lot) => ({ lotId: lot.id })),
          );
          return {
            holdIds: holds.map((h) => h.id),
            affectedLotIds: held.map((lot) => lot.id),
            shippedLotIds: held.filter((lot) => lot.status === "SHIPPED").map((lot) => lot.id),
          };
        }),
      ),
    );
    return this.reload(stored);
  }

  /**
   * Releases a hold with an electronic signature (MANAGER or ADMIN). The root of a placement
   * releases the whole placement (every hold propagated or inherited from it, and it ends in
   * inventory for lots made later); any other hold releases its own lot. The signature is checked
   * by identity (the caller's own password), then inventory makes the lots available, then the
   * release is recorded with the signer's name, the time and the meaning, on every hold and its
   * audit entry. A hold already released, or released meanwhile by a concurrent call, is CONFLICT.
   */
  async releaseHold(caller: Principal | null, raw: unknown, requestId: string): Promise<HoldRecord[]> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, signature, ...parsed } = parseInput(releaseSchema, raw);
    const given = requireSignatureGiven(actor, signature);
    // The password never enters the idempotency record (it stores a hash of the input).
    const input = { ...parsed, meaning: given.meaning };
    const earlier = await storedResult<string[]>(this.deps, "releaseHold", key, input);
    if (earlier) return this.holdsInOrder(earlier);

    const [hold] = await holdStore.findHolds(this.deps.db.client, [input.holdId]);
    if (!hold) throw notFound("Hold", input.holdId);
    if (hold.releasedAt) throw alreadyReleased(hold.id);
    const signed = await verifySignature(this.deps.identity, actor, given, requestId);
    // Journalled once the signature is verified: recovery completes the release it stands for
    // without the password, which is never stored.
    const write = await beginPendingWrite<ReleaseWrite>(this.deps.db, "releaseHold", actor.id, {
      hold: { id: hold.id, placementId: hold.placementId, lotId: hold.lotId, wholePlacement: isRoot(hold) },
      input,
      key: key ?? null,
      actor: actorOf(actor),
      release: signedRelease(actor, input.reason, signed),
      inventoryKey: `release:${hold.id}:${actor.id}:${key ?? randomUUID()}`,
    });
    return runPendingWrite(this.deps.db, write.id, () => this.completeRelease(write, requestId));
  }

  /**
   * Inventory makes the lots available, then quality records the signed release, once; run by
   * the request and, for a release it journalled and did not finish, by recovery.
   */
  async completeRelease(write: PendingWrite<ReleaseWrite>, requestId: string): Promise<HoldRecord[]> {
    const { hold, input, key, actor, inventoryKey } = write.payload;
    const release = reviveRelease(write.payload.release);
    await this.deps.inventory.clearLotHold(
      {
        lotIds: hold.wholePlacement ? null : [hold.lotId],
        holdId: hold.placementId,
        reason: `released hold ${hold.id} (signed by ${release.signerName}, "${release.signatureMeaning}"): ${input.reason}`,
        performedBy: actor,
        idempotencyKey: inventoryKey,
      },
      requestId,
    );
    const releasedIds = await this.deps.db.transaction((tx) =>
      completePendingWrite(tx, write.id, () =>
        withIdempotency(tx, "releaseHold", key, input, async () => {
          await holdStore.lockPlacement(tx, hold.placementId);
          const current = hold.wholePlacement
            ? await holdStore.holdsOfPlacement(tx, hold.placementId)
            : await holdStore.findHolds(tx, [hold.id]);
          if (current.find((h) => h.id === hold.id)?.releasedAt) throw alreadyReleased(hold.id);
          const released = await releaseHolds(tx, current, release, actor);
          return [hold.id, ...released.map((h) => h.id).filter((hid) => hid !== hold.id)];
        }),
      ),
    );
    return this.holdsInOrder(releasedIds);
  }

  async findHold(caller: Principal | null, holdId: string): Promise<HoldRecord | null> {
    requireAuthenticated(caller);
    const [hold] = await holdStore.findHolds(this.deps.db.client, [holdId]);
    return hold ?? null;
  }

  async holds(caller: Principal | null, activeOnly: boolean, args: PageArgs): Promise<Connection<HoldRecord>> {
    requireAuthenticated(caller);
    const page = readPage(args);
    const after = args.after ? afterKey(decodeCursor(args.after)) : null;
    const { rows, total } = await holdStore.pageHolds(this.deps.db.client, activeOnly, after, page.limit);
    return toConnection(rows, page, (h) => [h.placedAt.toISOString(), h.id], total);
  }

  private async reload(stored: StoredPlacement): Promise<PlacedHolds> {
    return {
      holds: await this.holdsInOrder(stored.holdIds),
      affectedLotIds: stored.affectedLotIds,
      shippedLotIds: stored.shippedLotIds,
    };
  }

  async holdsInOrder(ids: readonly string[]): Promise<HoldRecord[]> {
    const found = new Map((await holdStore.findHolds(this.deps.db.client, ids)).map((h) => [h.id, h]));
    return ids.map((hid) => {
      const hold = found.get(hid);
      if (!hold) throw new Error(`hold ${hid} vanished after its creation`);
      return hold;
    });
  }
}

/** A placement journalled before inventory is called: everything its completion needs. */
export interface PlacementWrite {
  placementId: string;
  input: { lotId: string; reason: string; propagate: boolean };
  key: string | null;
  actor: PerformedBy;
}

/** A signed release journalled before inventory is called (the signature verified, no password). */
export interface ReleaseWrite {
  hold: { id: string; placementId: string; lotId: string; wholePlacement: boolean };
  input: { holdId: string; reason: string; meaning: string };
  key: string | null;
  actor: PerformedBy;
  release: ReleaseRecord;
  inventoryKey: string;
}

interface StoredPlacement {
  holdIds: string[];
  affectedLotIds: string[];
  shippedLotIds: string[];
}

/** A keyset cursor of (placedAt, id); shared by holds and supplier holds. */
export function afterKey(key: string[]): { placedAt: Date; id: string } {
  const [placedAt, holdId] = key;
  const at = placedAt ? new Date(placedAt) : null;
  if (!at || Number.isNaN(at.getTime()) || !holdId)
    throw new DomainError("BAD_USER_INPUT", "after is not a hold cursor");
  return { placedAt: at, id: holdId };
}

const alreadyReleased = (holdId: string) => conflict("this hold is already released", { holdId });
