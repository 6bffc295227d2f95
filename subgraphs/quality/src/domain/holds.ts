import { randomUUID } from "node:crypto";
import {
  DomainError,
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
import { conflict, derivedUuid, type QualityDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { recordPlacement, releaseHolds } from "./placements.ts";
import { refuseReleaseDuringRecall } from "./recall-guard.ts";
import { holdsInOrder } from "./quality-command.ts";
import { isRoot, type HoldRecord, type ReleaseRecord } from "./records.ts";
import {
  requireSignatureGiven,
  reviveRelease,
  signatureInput,
  signedRelease,
  signedRequest,
  verifySignature,
} from "./signatures.ts";

const placeSchema = z
  .object({ lotId: id, reason: text(500), propagate: z.boolean().nullish(), idempotencyKey })
  .transform((parsed) => ({ ...parsed, propagate: parsed.propagate ?? false }));
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
  placeHold(caller: Principal | null, raw: unknown, requestId: string): Promise<PlacedHolds> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "placeHold",
      role: "MANAGER",
      input: placeSchema,
      journal: async (input, principal) => {
        if (!(await this.deps.inventory.existingLots([input.lotId], requestId)).has(input.lotId))
          throw notFound("Lot", input.lotId);
        // Derived from the client's key, so a retry after a lost response names the same placement.
        const key = input.idempotencyKey;
        return { placementId: key ? derivedUuid(`placeHold:${principal.id}:${key}`) : randomUUID() };
      },
      complete: (write) => this.completePlacement(write, requestId),
      reload: (stored: StoredPlacement) => this.reload(stored),
    });
  }

  /**
   * Inventory holds the lots, then quality records the placement, once. The request runs it; so
   * does recovery, for a placement its request journalled and did not finish (a crash, a peer
   * away): inventory answers the same lots again, by the same idempotency key.
   */
  completePlacement(write: PendingWrite<PlacementWrite>, requestId: string): Promise<PlacedHolds> {
    return completeJournalled(this.deps.db, write, {
      name: "placeHold",
      call: ({ placementId, input, actor }) =>
        this.deps.inventory.setLotHold(
          {
            lotIds: [input.lotId],
            holdId: placementId,
            reason: `quality hold ${placementId} on lot ${input.lotId}${input.propagate ? " and its descendants" : ""}: ${input.reason}`,
            propagate: input.propagate,
            performedBy: actor,
            idempotencyKey: `hold:${placementId}`,
          },
          requestId,
        ),
      run: async ({ tx, actor, write: { placementId, input }, called: held }) => {
        const holds = await recordPlacement(
          tx,
          { id: placementId, kind: "root", reason: input.reason, decisionId: null, propagate: input.propagate, actor },
          held.map((lot) => ({ lotId: lot.id })),
        );
        return {
          holdIds: holds.map((h) => h.id),
          affectedLotIds: held.map((lot) => lot.id),
          shippedLotIds: held.filter((lot) => lot.status === "SHIPPED").map((lot) => lot.id),
        };
      },
      reload: (stored) => this.reload(stored),
    });
  }

  /**
   * Releases a hold with an electronic signature (MANAGER or ADMIN). The root of a placement
   * releases the whole placement (every hold propagated or inherited from it, and it ends in
   * inventory for lots made later); any other hold releases its own lot. The signature is checked
   * by identity (the caller's own password), then inventory makes the lots available, then the
   * release is recorded with the signer's name, the time and the meaning, on every hold and its
   * audit entry. A hold already released, or released meanwhile by a concurrent call, is CONFLICT.
   */
  releaseHold(caller: Principal | null, raw: unknown, requestId: string): Promise<HoldRecord[]> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "releaseHold",
      role: "MANAGER",
      input: releaseSchema,
      // The password never enters the idempotency record (it stores a hash of the input).
      request: (input, principal) => signedRequest(input, principal),
      // Journalled once the signature is verified: recovery completes the release it stands for
      // without the password, which is never stored.
      journal: async (input, principal) => {
        const [hold] = await holdStore.findHolds(this.deps.db.client, [input.holdId]);
        if (!hold) throw notFound("Hold", input.holdId);
        if (hold.releasedAt) throw alreadyReleased(hold.id);
        await refuseReleaseDuringRecall(this.deps.db.client, hold.placementId, `hold ${hold.id}`);
        const signed = await verifySignature(
          this.deps.identity,
          principal,
          requireSignatureGiven(principal, input.signature),
          requestId,
        );
        return {
          hold: { id: hold.id, placementId: hold.placementId, lotId: hold.lotId, wholePlacement: isRoot(hold) },
          release: signedRelease(principal, input.reason, signed),
          inventoryKey: `release:${hold.id}:${principal.id}:${input.idempotencyKey ?? randomUUID()}`,
        };
      },
      complete: (write) => this.completeRelease(write, requestId),
      reload: (releasedIds: string[]) => holdsInOrder(this.deps.db.client, releasedIds),
    });
  }

  /**
   * Inventory makes the lots available, then quality records the signed release, once; run by
   * the request and, for a release it journalled and did not finish, by recovery.
   */
  completeRelease(write: PendingWrite<ReleaseWrite>, requestId: string): Promise<HoldRecord[]> {
    const release = reviveRelease(write.payload.release);
    return completeJournalled(this.deps.db, write, {
      name: "releaseHold",
      call: ({ hold, input, actor, inventoryKey }) =>
        this.deps.inventory.clearLotHold(
          {
            lotIds: hold.wholePlacement ? null : [hold.lotId],
            holdId: hold.placementId,
            reason: `released hold ${hold.id} (signed by ${release.signerName}, "${release.signatureMeaning}"): ${input.reason}`,
            performedBy: actor,
            idempotencyKey: inventoryKey,
          },
          requestId,
        ),
      run: async ({ tx, actor, write: { hold } }) => {
        await holdStore.lockPlacement(tx, hold.placementId);
        const current = hold.wholePlacement
          ? await holdStore.holdsOfPlacement(tx, hold.placementId)
          : await holdStore.findHolds(tx, [hold.id]);
        if (current.find((h) => h.id === hold.id)?.releasedAt) throw alreadyReleased(hold.id);
        const released = await releaseHolds(tx, current, release, actor);
        return [hold.id, ...released.map((h) => h.id).filter((hid) => hid !== hold.id)];
      },
      reload: (releasedIds) => holdsInOrder(this.deps.db.client, releasedIds),
    });
  }

  async findHold(caller: Principal | null, holdId: string): Promise<HoldRecord | null> {
    requireAuthenticated(caller);
    const [hold] = await holdStore.findHolds(this.deps.db.client, [holdId]);
    return hold ?? null;
  }

  /** Holds, newest first; `updatedSince`: placed or released at or after it. */
  async holds(
    caller: Principal | null,
    activeOnly: boolean,
    args: PageArgs,
    updatedSince: Date | null = null,
  ): Promise<Connection<HoldRecord>> {
    requireAuthenticated(caller);
    const page = readPage(args);
    const after = args.after ? afterKey(decodeCursor(args.after)) : null;
    const { rows, total } = await holdStore.pageHolds(this.deps.db.client, activeOnly, after, page.limit, updatedSince);
    return toConnection(rows, page, (h) => [h.placedAt.toISOString(), h.id], total);
  }

  private async reload(stored: StoredPlacement): Promise<PlacedHolds> {
    return {
      holds: await holdsInOrder(this.deps.db.client, stored.holdIds),
      affectedLotIds: stored.affectedLotIds,
      shippedLotIds: stored.shippedLotIds,
    };
  }
}

/** A placement journalled before inventory is called: everything its completion needs. */
export type PlacementWrite = Journalled<{ placementId: string }, { lotId: string; reason: string; propagate: boolean }>;

/** A signed release journalled before inventory is called (the signature verified, no password). */
export type ReleaseWrite = Journalled<
  {
    hold: { id: string; placementId: string; lotId: string; wholePlacement: boolean };
    release: ReleaseRecord;
    inventoryKey: string;
  },
  { holdId: string; reason: string; meaning: string }
>;

type StoredPlacement = {
  holdIds: string[];
  affectedLotIds: string[];
  shippedLotIds: string[];
};

/** A keyset cursor of (placedAt, id); shared by holds and supplier holds. */
export function afterKey(key: string[]): { placedAt: Date; id: string } {
  const [placedAt, holdId] = key;
  const at = placedAt ? new Date(placedAt) : null;
  if (!at || Number.isNaN(at.getTime()) || !holdId)
    throw new DomainError("BAD_USER_INPUT", "after is not a hold cursor");
  return { placedAt: at, id: holdId };
}

const alreadyReleased = (holdId: string) => conflict("this hold is already released", { holdId });
