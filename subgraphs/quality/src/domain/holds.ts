import { randomUUID } from "node:crypto";
import {
  DomainError,
  SUBJECTS,
  appendAudit,
  enqueueEvent,
  notFound,
  parseInput,
  readPage,
  requireAuthenticated,
  requireRole,
  toConnection,
  withIdempotency,
  decodeCursor,
  type Connection,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { QualityTx } from "../store/db.ts";
import * as holdStore from "../store/hold-store.ts";
import {
  actorOf,
  chunks,
  conflict,
  derivedUuid,
  id,
  idempotencyKey,
  storedResult,
  text,
  type QualityDeps,
} from "./common.ts";
import type { PerformedBy } from "./peers.ts";
import { inventoryHoldId, type HoldRecord } from "./records.ts";

/** Lots per internal call: a recall of thousands of lots goes in a few bounded requests. */
const CHUNK = 1000;

const placeSchema = z.object({ lotId: id, reason: text(500), propagate: z.boolean().nullish(), idempotencyKey });
const releaseSchema = z.object({
  holdId: id,
  reason: text(500),
  signature: z.object({ password: z.string().max(1000), meaning: z.string().trim().max(200) }).nullish(),
  idempotencyKey,
});

/** What inventory did for one placement, before quality records it. */
export interface HoldPlan {
  /** The root hold's id; inventory knows every lot of the placement under it. */
  rootId: string;
  /** The root lot first, then its descendants. */
  lotIds: string[];
  /** Lots inventory reports as SHIPPED. */
  shippedLotIds: string[];
  reason: string;
}

export interface PlacedHolds {
  holds: HoldRecord[];
  affectedLotIds: string[];
  shippedLotIds: string[];
}

/** The signature fields of a release (21 CFR Part 11: name, time, meaning). */
type Release = Parameters<typeof holdStore.markReleased>[2];

/**
 * Holds (DESIGN.md §4.5). Placing one first makes every lot unavailable in inventory (a few
 * synchronous, idempotent internal calls, no quality transaction held across them), then records
 * one Hold per lot in one transaction with its audit entries and events. So when placeHold
 * returns, consumption and shipment of every held lot are already refused. A placement with
 * propagation asks traceability for every descendant; their holds have `cause` = the root hold,
 * and inventory knows all of them by the root's id, so one placement never lifts another's hold.
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

    const plan = await this.hold(
      input.lotId,
      input.propagate,
      input.reason,
      actorOf(actor),
      key ? `placeHold:${key}` : null,
      requestId,
    );
    const stored = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "placeHold", key, input, async () => {
        const holds = await this.record(tx, plan, input.propagate, actorOf(actor), null);
        return { holdIds: holds.map((h) => h.id), affectedLotIds: plan.lotIds, shippedLotIds: plan.shippedLotIds };
      }),
    );
    return this.reload(stored);
  }

  /**
   * Makes a lot (and with propagate its descendants) unavailable in inventory under a new root
   * hold id. `seed` (derived from the client's idempotency key) makes the id and inventory's keys
   * the same on a retry. Nothing is recorded in quality yet: see {@link record}.
   */
  async hold(
    lotId: string,
    propagate: boolean,
    reason: string,
    actor: PerformedBy,
    seed: string | null,
    requestId: string,
  ): Promise<HoldPlan> {
    const rootId = seed ? derivedUuid(seed) : randomUUID();
    const descendants = propagate ? await this.deps.genealogy.descendantsOf([lotId], requestId) : [];
    const lotIds = [...new Set([lotId, ...descendants])];
    const cause = `quality hold ${rootId} on lot ${lotId}${propagate ? " and its descendants" : ""}: ${reason}`;
    const shippedLotIds: string[] = [];
    for (const [index, chunk] of chunks(lotIds, CHUNK).entries()) {
      const lots = await this.deps.inventory.setLotHold(
        { lotIds: chunk, holdId: rootId, reason: cause, performedBy: actor, idempotencyKey: `hold:${rootId}:${index}` },
        requestId,
      );
      shippedLotIds.push(...lots.filter((lot) => lot.status === "SHIPPED").map((lot) => lot.id));
    }
    return { rootId, lotIds, shippedLotIds, reason };
  }

  /** Records the holds of a placement inventory has already made, in the caller's transaction. */
  async record(
    tx: QualityTx,
    plan: HoldPlan,
    propagate: boolean,
    actor: PerformedBy,
    decisionId: string | null,
  ): Promise<HoldRecord[]> {
    const placedAt = new Date();
    const holds: HoldRecord[] = plan.lotIds.map((lotId, index) => ({
      id: index === 0 ? plan.rootId : randomUUID(),
      lotId,
      reason: plan.reason,
      causeId: index === 0 ? null : plan.rootId,
      decisionId,
      propagate: index === 0 && propagate,
      placedAt,
      placedById: actor.id,
      placedByName: actor.name,
      releasedAt: null,
      releasedById: null,
      releasedByName: null,
      releaseReason: null,
      signerName: null,
      signedAt: null,
      signatureMeaning: null,
    }));
    await holdStore.insertHolds(tx, holds);
    for (const hold of holds) {
      await appendAudit(tx, {
        actor,
        action: "hold.placed",
        entityType: "Hold",
        entityId: hold.id,
        reason: hold.causeId
          ? `propagated from hold ${hold.causeId} on lot ${plan.lotIds[0]}: ${hold.reason}`
          : hold.reason,
        after: hold,
      });
      await enqueueEvent(tx, {
        subject: SUBJECTS.quality.holdPlaced,
        entityType: "Hold",
        entityId: hold.id,
        payload: { holdId: hold.id, lotId: hold.lotId, causeId: hold.causeId, decisionId, reason: hold.reason },
      });
    }
    return holds;
  }

  /**
   * Releases a hold with an electronic signature (MANAGER or ADMIN); a root releases its
   * propagated holds too. The signature is checked by identity (the caller's own password),
   * then inventory makes the lots available, then the release is recorded with the signer's name,
   * the time and the meaning, on every hold and its audit entry.
   */
  async releaseHold(caller: Principal | null, raw: unknown, requestId: string): Promise<HoldRecord[]> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, signature, ...parsed } = parseInput(releaseSchema, raw);
    if (!signature || signature.password.length === 0 || signature.meaning.length === 0)
      throw signatureRequired("re-enter your password and state the meaning of the signature");
    if (actor.kind !== "user") throw signatureRequired("only a person can sign a release");
    // The password never enters the idempotency record (it stores a hash of the input).
    const input = { ...parsed, meaning: signature.meaning };
    const earlier = await storedResult<string[]>(this.deps, "releaseHold", key, input);
    if (earlier) return this.holdsInOrder(earlier);

    const [hold] = await holdStore.findHolds(this.deps.db.client, [input.holdId]);
    if (!hold) throw notFound("Hold", input.holdId);
    if (hold.releasedAt) throw conflict("this hold is already released", { holdId: hold.id });
    const signer = await this.deps.identity.verifySignature(actor.id, signature.password, requestId);
    if (!signer) throw signatureRequired("the signature is not valid: wrong password");

    const targets = [hold, ...((await holdStore.findPropagated(this.deps.db.client, [hold.id])).get(hold.id) ?? [])];
    const active = targets.filter((h) => h.releasedAt === null);
    const nonce = key ?? randomUUID();
    for (const [index, chunk] of chunks(
      active.map((h) => h.lotId),
      CHUNK,
    ).entries()) {
      await this.deps.inventory.clearLotHold(
        {
          lotIds: chunk,
          holdId: inventoryHoldId(hold),
          reason: `released hold ${hold.id} (signed by ${signer.name}, "${input.meaning}"): ${input.reason}`,
          performedBy: actorOf(actor),
          idempotencyKey: `release:${hold.id}:${nonce}:${index}`,
        },
        requestId,
      );
    }

    const now = new Date();
    const release: Release = {
      releasedAt: now,
      releasedById: actor.id,
      releasedByName: actor.name,
      releaseReason: input.reason,
      signerName: signer.name,
      signedAt: now,
      signatureMeaning: input.meaning,
    };
    const releasedIds = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "releaseHold", key, input, async () => {
        const locked = await holdStore.lockForRelease(tx, hold.id);
        const releasing = locked.filter((h) => h.releasedAt === null && active.some((a) => a.id === h.id));
        await holdStore.markReleased(
          tx,
          releasing.map((h) => h.id),
          release,
        );
        for (const h of releasing) {
          await appendAudit(tx, {
            actor: actorOf(actor),
            action: "hold.released",
            entityType: "Hold",
            entityId: h.id,
            reason: input.reason,
            before: { releasedAt: null },
            after: {
              lotId: h.lotId,
              causeId: h.causeId,
              ...release,
              signature: {
                signerName: release.signerName,
                signedAt: release.signedAt,
                meaning: release.signatureMeaning,
              },
            },
          });
          await enqueueEvent(tx, {
            subject: SUBJECTS.quality.holdReleased,
            entityType: "Hold",
            entityId: h.id,
            payload: { holdId: h.id, lotId: h.lotId, causeId: h.causeId, reason: input.reason },
          });
        }
        return [hold.id, ...releasing.map((h) => h.id).filter((hid) => hid !== hold.id)];
      }),
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

  private async holdsInOrder(ids: readonly string[]): Promise<HoldRecord[]> {
    const found = new Map((await holdStore.findHolds(this.deps.db.client, ids)).map((h) => [h.id, h]));
    return ids.map((hid) => {
      const hold = found.get(hid);
      if (!hold) throw new Error(`hold ${hid} vanished after its creation`);
      return hold;
    });
  }
}

interface StoredPlacement {
  holdIds: string[];
  affectedLotIds: string[];
  shippedLotIds: string[];
}

function afterKey(key: string[]): { placedAt: Date; id: string } {
  const [placedAt, holdId] = key;
  const at = placedAt ? new Date(placedAt) : null;
  if (!at || Number.isNaN(at.getTime()) || !holdId)
    throw new DomainError("BAD_USER_INPUT", "after is not a hold cursor");
  return { placedAt: at, id: holdId };
}

export const signatureRequired = (message: string): DomainError => new DomainError("SIGNATURE_REQUIRED", message);
