import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  badInput,
  command,
  completeJournalled,
  decodeCursor,
  journalledCommand,
  notFound,
  readPage,
  requireAuthenticated,
  toConnection,
  type Connection,
  type Journalled,
  type NewEvent,
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
import { conflict, type QualityDeps } from "./common.ts";
import type { HeldLot, PerformedBy } from "./peers.ts";
import { formatNonConformanceNumber, type NonConformanceRecord, type NonConformanceStatus } from "./records.ts";
import { requireSignatureGiven, signatureInput, signedRequest, verifySignature, type Signed } from "./signatures.ts";
import { vanished } from "./quality-command.ts";
import { id, idempotencyKey, optionalText, text } from "@lotgraph/kit";
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
  })
  .transform((parsed) => ({ ...parsed, holdId: parsed.holdId ?? null, decisionId: parsed.decisionId ?? null }));
const dispositionSchema = z.object({
  nonConformanceId: id,
  disposition: z.enum(["USE_AS_IS", "REWORK", "SCRAP", "RETURN_TO_SUPPLIER"]),
  correctiveAction: optionalText(4000),
  signature: signatureInput,
  idempotencyKey,
});
/** A signed disposition journalled before inventory is called (the signature verified, no password). */
export type DispositionWrite = Journalled<
  { ncr: Pick<NonConformanceRecord, "id" | "number" | "lotId" | "disposition" | "description">; signed: Signed },
  Omit<z.output<typeof dispositionSchema>, "signature" | "idempotencyKey"> & { meaning: string }
>;

const closeSchema = z.object({ nonConformanceId: id, signature: signatureInput, idempotencyKey });

/** What an NCR's reads batch through: the request's loader of nonconformances. */
export type NonConformanceLoaders = Pick<QualityLoaders, "nonConformance">;

/**
 * Nonconformance reports: opened from a hold or a decision, given a disposition and a corrective
 * action, closed. The disposition and the closure are signed electronically (21 CFR Part 11).
 * A SCRAP disposition scraps the NCR's lot in inventory (held or not), and a USE_AS_IS releases a
 * rejected lot for use (its holds stay until released), before the disposition is recorded here.
 * Built per request (see quality-services.ts), so reads batch through that request's loaders.
 */
export class NonConformanceService {
  constructor(
    private readonly deps: QualityDeps,
    private readonly loaders: NonConformanceLoaders,
  ) {}

  /** Opens an NCR from a hold or a decision (OPERATOR). */
  open(caller: Principal | null, raw: unknown): Promise<NonConformanceRecord> {
    return command(this.deps.db, caller, raw, {
      name: "openNonConformance",
      role: "OPERATOR",
      input: openSchema,
      run: async ({ tx, input, actor, record }) => {
        const ncr = await store.insertNonConformance(tx, {
          ...NEW_NON_CONFORMANCE,
          id: randomUUID(),
          holdId: input.holdId,
          decisionId: input.decisionId,
          lotId: await this.sourceLot(tx, input.holdId, input.decisionId),
          description: input.description,
          owner: input.owner,
          openedAt: new Date(),
          openedById: actor.id,
          openedByName: actor.name,
        });
        record.audit({ action: "nonConformance.opened", entityType: "NonConformance", entityId: ncr.id, after: ncr });
        record.event(ncrEvent(SUBJECTS.quality.nonConformanceOpened, ncr));
        return ncr.id;
      },
      reload: (ncrId, { tx }) => this.load(ncrId, tx),
    });
  }

  /**
   * Sets the disposition and corrective action of an open NCR (MANAGER), signed. SCRAP first
   * scraps the NCR's lot in inventory and USE_AS_IS releases it for use (outside any transaction
   * here, under a key derived from the NCR, so a retry never does it twice), then the disposition
   * is recorded; inventory's refusal (e.g. LOT_UNAVAILABLE for a consumed or shipped lot)
   * propagates and nothing is recorded.
   */
  setDisposition(caller: Principal | null, raw: unknown, requestId: string): Promise<NonConformanceRecord> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "setDisposition",
      role: "MANAGER",
      input: dispositionSchema,
      // The password never enters the idempotency record.
      request: (input, principal) => signedRequest(input, principal),
      journal: async (input, principal) => {
        const ncr = await this.requireOpen(input.nonConformanceId);
        const given = requireSignatureGiven(principal, input.signature);
        const { id, number, lotId, disposition, description } = ncr;
        const signed = await verifySignature(this.deps.identity, principal, given, requestId);
        return { ncr: { id, number, lotId, disposition, description }, signed };
      },
      complete: (write) => this.completeDisposition(write, requestId),
      reload: (ncrId: string) => this.load(ncrId),
    });
  }

  /**
   * Inventory scraps or releases the lot, then quality records the signed disposition, once: run
   * by the request and, for a disposition it journalled and did not finish, by recovery.
   */
  completeDisposition(write: PendingWrite<DispositionWrite>, requestId: string): Promise<NonConformanceRecord> {
    const signed: Signed = { ...write.payload.signed, signedAt: new Date(write.payload.signed.signedAt) };
    return completeJournalled(this.deps.db, write, {
      name: "setDisposition",
      call: async ({ ncr, input, actor }) => {
        const scrapped = input.disposition === "SCRAP" ? await this.scrap(ncr, actor, requestId) : null;
        if (input.disposition === "USE_AS_IS" && ncr.lotId) await this.useAsIs(ncr, actor, signed, requestId);
        return scrapped;
      },
      run: async ({ tx, write: { input }, called: scrapped, record }) => {
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
        record.audit({
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
        record.event(ncrEvent(SUBJECTS.quality.nonConformanceDispositioned, after));
        return after.id;
      },
      reload: (ncrId) => this.load(ncrId),
    });
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
  close(caller: Principal | null, raw: unknown, requestId: string): Promise<NonConformanceRecord> {
    return command(this.deps.db, caller, raw, {
      name: "closeNonConformance",
      role: "MANAGER",
      input: closeSchema,
      request: (input, principal) => signedRequest(input, principal),
      prepare: async (input, principal) => {
        const ncr = await this.requireOpen(input.nonConformanceId);
        if (!ncr.disposition) throw conflict("set a disposition before closing the nonconformance");
        const given = requireSignatureGiven(principal, input.signature);
        return verifySignature(this.deps.identity, principal, given, requestId);
      },
      run: async ({ tx, input, actor, prepared: signed, record }) => {
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
        record.audit({
          action: "nonConformance.closed",
          entityType: "NonConformance",
          entityId: after.id,
          before: { status: before.status },
          after: { status: after.status, closedAt: after.closedAt, signature: signatureOf(signed) },
        });
        record.event(ncrEvent(SUBJECTS.quality.nonConformanceClosed, after));
        return after.id;
      },
      reload: (ncrId, { tx }) => this.load(ncrId, tx),
    });
  }

  async nonConformance(caller: Principal | null, ncrId: string): Promise<NonConformanceRecord | null> {
    requireAuthenticated(caller);
    return this.loaders.nonConformance.load(ncrId);
  }

  async list(
    caller: Principal | null,
    status: NonConformanceStatus | null,
    args: PageArgs,
    updatedSince: Date | null = null,
  ): Promise<Connection<NonConformanceRecord>> {
    requireAuthenticated(caller);
    const page = readPage(args);
    const after = args.after ? Number(decodeCursor(args.after)[0]) : null;
    if (after !== null && !Number.isInteger(after)) throw badInput("after", "after is not a nonconformance cursor");
    const { rows, total } = await store.pageNonConformances(
      this.deps.db.client,
      status,
      after,
      page.limit,
      updatedSince,
    );
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

  /** After commit (journalled writes) or, given its transaction, inside a command. */
  private async load(ncrId: string, db: QualityTx = this.deps.db.client): Promise<NonConformanceRecord> {
    const [ncr] = await store.findNonConformances(db, [ncrId]);
    return ncr ?? vanished("nonconformance", ncrId);
  }
}

const signatureOf = (signed: Signed) => ({
  signerName: signed.signerName,
  signedAt: signed.signedAt,
  meaning: signed.meaning,
});

type NcrSubject = SubjectOf<typeof nonConformanceChangedPayload>;

const ncrEvent = (subject: NcrSubject, ncr: NonConformanceRecord): NewEvent<NcrSubject> => ({
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

/** What an NCR starts with: open, with no disposition, closure or signature yet. */
const NEW_NON_CONFORMANCE = {
  status: "OPEN",
  disposition: null,
  correctiveAction: null,
  dispositionedAt: null,
  closedAt: null,
  closedByName: null,
  dispositionSignerName: null,
  dispositionSignedAt: null,
  dispositionMeaning: null,
  closeSignerName: null,
  closeSignedAt: null,
  closeMeaning: null,
} as const;
