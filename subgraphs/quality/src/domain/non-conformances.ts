import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  appendAudit,
  badInput,
  decodeCursor,
  enqueueEvent,
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
  type PageArgs,
  type PendingWrite,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { QualityLoaders } from "../loaders.ts";
import type { QualityTx } from "../store/db.ts";
import { findDecisions } from "../store/decision-store.ts";
import { findHolds } from "../store/hold-store.ts";
import * as store from "../store/non-conformance-store.ts";
import { actorOf, conflict, storedResult, type QualityDeps } from "./common.ts";
import { id, idempotencyKey, optionalText, text } from "@lotgraph/kit";
import type { HeldLot, PerformedBy } from "./peers.ts";
import { formatNonConformanceNumber, type NonConformanceRecord, type NonConformanceStatus } from "./records.ts";
import { requireSignatureGiven, signatureInput, verifySignature, type Signed } from "./signatures.ts";
import type { SubjectOf, nonConformanceChangedPayload } from "@lotgraph/kit";

const openSchema = z
  .object({
    holdId: id.nullish(),
    decisionId: id.nullish(),
    description: text(4000),
    owner: text(200),
    idempotencyKey,
  })
  .refine((input) => Boolean(input.holdId) !== Boolean(input.decisionId), {
    message: "give exactly one of holdId and decisionId",
    path: ["holdId"],
  });
const dispositionSchema = z.object({
  nonConformanceId: id,
  disposition: z.enum(["USE_AS_IS", "REWORK", "SCRAP", "RETURN_TO_SUPPLIER"]),
  correctiveAction: optionalText(4000),
  signature: signatureInput,
  idempotencyKey,
});
/** A signed disposition journalled before inventory is called (the signature verified, no password). */
export interface DispositionWrite {
  ncr: Pick<NonConformanceRecord, "id" | "number" | "lotId" | "disposition" | "description">;
  input: Omit<z.output<typeof dispositionSchema>, "signature" | "idempotencyKey"> & { meaning: string };
  key: string | null;
  actor: PerformedBy;
  signed: Signed;
}

const closeSchema = z.object({ nonConformanceId: id, signature: signatureInput, idempotencyKey });

/**
 * Nonconformance reports: opened from a hold or a decision, given a disposition and a corrective
 * action, closed. The disposition and the closure are signed electronically (21 CFR Part 11).
 * A SCRAP disposition scraps the NCR's lot in inventory (held or not), and a USE_AS_IS releases a
 * rejected lot for use (its holds stay until released), before the disposition is recorded here.
 */
export class NonConformanceService {
  constructor(private readonly deps: QualityDeps) {}

  /** Opens an NCR from a hold or a decision (OPERATOR). */
  async open(caller: Principal | null, raw: unknown): Promise<NonConformanceRecord> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey: key, ...parsed } = parseInput(openSchema, raw);
    const input = { ...parsed, holdId: parsed.holdId ?? null, decisionId: parsed.decisionId ?? null };
    const ncrId = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "openNonConformance", key, input, async () => {
        const lotId = await this.sourceLot(tx, input.holdId, input.decisionId);
        const ncr = await store.insertNonConformance(tx, {
          id: randomUUID(),
          holdId: input.holdId,
          decisionId: input.decisionId,
          lotId,
          description: input.description,
          owner: input.owner,
          status: "OPEN",
          disposition: null,
          correctiveAction: null,
          openedAt: new Date(),
          openedById: actor.id,
          openedByName: actor.name,
          dispositionedAt: null,
          closedAt: null,
          closedByName: null,
          dispositionSignerName: null,
          dispositionSignedAt: null,
          dispositionMeaning: null,
          closeSignerName: null,
          closeSignedAt: null,
          closeMeaning: null,
        });
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "nonConformance.opened",
          entityType: "NonConformance",
          entityId: ncr.id,
          after: ncr,
        });
        await emit(tx, SUBJECTS.quality.nonConformanceOpened, ncr);
        return ncr.id;
      }),
    );
    return this.load(ncrId);
  }

  /**
   * Sets the disposition and corrective action of an open NCR (MANAGER), signed. SCRAP first
   * scraps the NCR's lot in inventory and USE_AS_IS releases it for use (outside any transaction
   * here, under a key derived from the NCR, so a retry never does it twice), then the disposition
   * is recorded; inventory's refusal (e.g. LOT_UNAVAILABLE for a consumed or shipped lot)
   * propagates and nothing is recorded.
   */
  async setDisposition(caller: Principal | null, raw: unknown, requestId: string): Promise<NonConformanceRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, signature, ...parsed } = parseInput(dispositionSchema, raw);
    const given = requireSignatureGiven(actor, signature);
    // The password never enters the idempotency record.
    const input = { ...parsed, meaning: given.meaning };
    const earlier = await storedResult<string>(this.deps, "setDisposition", key, input);
    if (earlier) return this.load(earlier);
    const ncr = await this.requireOpen(input.nonConformanceId);
    const signed = await verifySignature(this.deps.identity, actor, given, requestId);
    const write = await beginPendingWrite<DispositionWrite>(this.deps.db, "setDisposition", actor.id, {
      ncr: {
        id: ncr.id,
        number: ncr.number,
        lotId: ncr.lotId,
        disposition: ncr.disposition,
        description: ncr.description,
      },
      input,
      key: key ?? null,
      actor: actorOf(actor),
      signed,
    });
    return runPendingWrite(this.deps.db, write.id, () => this.completeDisposition(write, requestId));
  }

  /**
   * Inventory scraps or releases the lot, then quality records the signed disposition, once: run
   * by the request and, for a disposition it journalled and did not finish, by recovery.
   */
  async completeDisposition(write: PendingWrite<DispositionWrite>, requestId: string): Promise<NonConformanceRecord> {
    const { ncr, input, key, actor } = write.payload;
    const signed: Signed = { ...write.payload.signed, signedAt: new Date(write.payload.signed.signedAt) };
    const scrapped = input.disposition === "SCRAP" ? await this.scrap(ncr, actor, requestId) : null;
    if (input.disposition === "USE_AS_IS" && ncr.lotId) await this.useAsIs(ncr, actor, signed, requestId);
    const ncrId = await this.deps.db.transaction((tx) =>
      completePendingWrite(tx, write.id, () =>
        withIdempotency(tx, "setDisposition", key, input, async () => {
          const before = await this.lockOpen(tx, input.nonConformanceId);
          if (before.disposition === "SCRAP" && before.lotId && input.disposition !== "SCRAP") {
            throw conflict("the lot of this nonconformance was scrapped: its disposition stays SCRAP", {
              lotId: before.lotId,
            });
          }
          const after = await store.updateNonConformance(tx, before.id, {
            disposition: input.disposition,
            correctiveAction: input.correctiveAction,
            dispositionedAt: signed.signedAt,
            dispositionSignerName: signed.signerName,
            dispositionSignedAt: signed.signedAt,
            dispositionMeaning: signed.meaning,
          });
          await appendAudit(tx, {
            actor,
            action: "nonConformance.dispositioned",
            entityType: "NonConformance",
            entityId: after.id,
            before: { disposition: before.disposition, correctiveAction: before.correctiveAction },
            after: {
              disposition: after.disposition,
              correctiveAction: after.correctiveAction,
              signature: signatureOf(signed),
              ...(scrapped ? { scrappedLot: scrapped } : {}),
            },
          });
          await emit(tx, SUBJECTS.quality.nonConformanceDispositioned, after);
          return after.id;
        }),
      ),
    );
    return this.load(ncrId);
  }

  /** An NCR that exists and is open (checked again under lock when the change is written). */
  private async requireOpen(ncrId: string): Promise<NonConformanceRecord> {
    const [ncr] = await store.findNonConformances(this.deps.db.client, [ncrId]);
    if (!ncr) throw notFound("NonConformance", ncrId);
    if (ncr.status !== "OPEN") throw conflict("this nonconformance is closed", { status: ncr.status });
    return ncr;
  }

  /**
   * Scraps the lot of an open NCR in inventory for its SCRAP disposition; held material is
   * scrapped too. Nothing to do when the NCR has no lot (a decision on a run) or is already SCRAP.
   */
  private async scrap(ncr: DispositionWrite["ncr"], actor: PerformedBy, requestId: string): Promise<HeldLot | null> {
    if (!ncr.lotId || ncr.disposition === "SCRAP") return null;
    return this.deps.inventory.scrapLot(
      {
        lotId: ncr.lotId,
        nonConformanceId: ncr.id,
        reason: `SCRAP disposition: ${ncr.description}`.slice(0, 500),
        performedBy: actor,
        idempotencyKey: `scrap:${ncr.id}`,
      },
      requestId,
    );
  }

  /**
   * A signed USE_AS_IS: the NCR's lot no longer waits for a release requirement (a rejection, a
   * pending inspection or gate); holds on it stay until released.
   */
  private async useAsIs(
    ncr: DispositionWrite["ncr"],
    actor: PerformedBy,
    signed: Signed,
    requestId: string,
  ): Promise<void> {
    await this.deps.inventory.releaseLotForUse(
      {
        lotId: ncr.lotId!,
        reason: `USE_AS_IS disposition of ${formatNonConformanceNumber(ncr.number)} (signed by ${signed.signerName}, "${signed.meaning}")`,
        performedBy: actor,
        idempotencyKey: `use-as-is:${ncr.id}`,
      },
      requestId,
    );
  }

  /** Closes an NCR that has a disposition (MANAGER), signed. */
  async close(caller: Principal | null, raw: unknown, requestId: string): Promise<NonConformanceRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, signature, ...parsed } = parseInput(closeSchema, raw);
    const given = requireSignatureGiven(actor, signature);
    const input = { ...parsed, meaning: given.meaning };
    const earlier = await storedResult<string>(this.deps, "closeNonConformance", key, input);
    if (earlier) return this.load(earlier);
    const ncr = await this.requireOpen(input.nonConformanceId);
    if (!ncr.disposition) throw conflict("set a disposition before closing the nonconformance");
    const signed = await verifySignature(this.deps.identity, actor, given, requestId);
    const ncrId = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "closeNonConformance", key, input, async () => {
        const before = await this.lockOpen(tx, input.nonConformanceId);
        if (!before.disposition) throw conflict("set a disposition before closing the nonconformance");
        const after = await store.updateNonConformance(tx, before.id, {
          status: "CLOSED",
          closedAt: signed.signedAt,
          closedByName: actor.name,
          closeSignerName: signed.signerName,
          closeSignedAt: signed.signedAt,
          closeMeaning: signed.meaning,
        });
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "nonConformance.closed",
          entityType: "NonConformance",
          entityId: after.id,
          before: { status: before.status },
          after: { status: after.status, closedAt: after.closedAt, signature: signatureOf(signed) },
        });
        await emit(tx, SUBJECTS.quality.nonConformanceClosed, after);
        return after.id;
      }),
    );
    return this.load(ncrId);
  }

  async nonConformance(
    caller: Principal | null,
    ncrId: string,
    loaders: QualityLoaders,
  ): Promise<NonConformanceRecord | null> {
    requireAuthenticated(caller);
    return loaders.nonConformance.load(ncrId);
  }

  async list(
    caller: Principal | null,
    status: NonConformanceStatus | null,
    args: PageArgs,
  ): Promise<Connection<NonConformanceRecord>> {
    requireAuthenticated(caller);
    const page = readPage(args);
    const after = args.after ? Number(decodeCursor(args.after)[0]) : null;
    if (after !== null && !Number.isInteger(after)) throw badInput("after", "after is not a nonconformance cursor");
    const { rows, total } = await store.pageNonConformances(this.deps.db.client, status, after, page.limit);
    return toConnection(rows, page, (row) => [String(row.number)], total);
  }

  private async sourceLot(tx: QualityTx, holdId: string | null, decisionId: string | null): Promise<string | null> {
    if (holdId) {
      const [hold] = await findHolds(tx, [holdId]);
      if (!hold) throw notFound("Hold", holdId);
      return hold.lotId;
    }
    if (decisionId) {
      const [decision] = await findDecisions(tx, [decisionId]);
      if (!decision) throw notFound("QcDecision", decisionId);
      return decision.lotId;
    }
    return null;
  }

  private async lockOpen(tx: QualityTx, ncrId: string): Promise<NonConformanceRecord> {
    const ncr = await store.lockNonConformance(tx, ncrId);
    if (!ncr) throw notFound("NonConformance", ncrId);
    if (ncr.status !== "OPEN") throw conflict("this nonconformance is closed", { status: ncr.status });
    return ncr;
  }

  private async load(ncrId: string): Promise<NonConformanceRecord> {
    const [ncr] = await store.findNonConformances(this.deps.db.client, [ncrId]);
    if (!ncr) throw new Error(`nonconformance ${ncrId} vanished after a committed change`);
    return ncr;
  }
}

const signatureOf = (signed: Signed) => ({
  signerName: signed.signerName,
  signedAt: signed.signedAt,
  meaning: signed.meaning,
});

const emit = (tx: QualityTx, subject: SubjectOf<typeof nonConformanceChangedPayload>, ncr: NonConformanceRecord) =>
  enqueueEvent(tx, {
    subject,
    entityType: "NonConformance",
    entityId: ncr.id,
    payload: {
      nonConformanceId: ncr.id,
      lotId: ncr.lotId,
      status: ncr.status,
      disposition: ncr.disposition,
    },
  });
