import { randomUUID } from "node:crypto";
import {
  DomainError,
  badInput,
  command,
  completeJournalled,
  derivedUuid,
  id,
  journalledCommand,
  notFound,
  readPage,
  requireRole,
  toConnection,
  type CommandDatabase,
  type Connection,
  type JournalDatabase,
  type PageArgs,
  type PendingWrite,
  type Journalled,
  type Principal,
} from "@lotgraph/kit";
import type { TraceabilityClient, TraceabilityTx } from "../../database.ts";
import * as store from "../../facts/recall-case-store.ts";
import type { GenealogyStore } from "../../genealogy/port/genealogy-store.ts";
import type { LotFactsSource, TraceReads } from "../records.ts";
import { sourceLots } from "../exposure/index.ts";
import { openActions } from "./open-actions.ts";
import type {
  ContainmentPort,
  RecallActionView,
  RecallAnswer,
  RecallAnswerSources,
  RecallCaseRecord,
  RecallCaseStatus,
  RecallNoticeRecord,
  SignaturePort,
} from "./recall-records.ts";
import { caseEvent, recallScope } from "./recall-scope.ts";
import {
  afterKey,
  caseAudit,
  closeSchema,
  conflict,
  noticeSchema,
  openSchema,
  newCase,
  requireSignature,
  type NewCaseFacts,
  type OpenInput,
} from "./recall-inputs.ts";

/** People write a notice's time to the minute: the screen's field has no seconds. */
const NOTICE_TIME_PRECISION_MS = 60_000;

export interface RecallCaseDeps {
  db: CommandDatabase<TraceabilityTx> & JournalDatabase & { client: TraceabilityClient };
  genealogy: GenealogyStore;
  reads: TraceReads;
  inventory: LotFactsSource;
  answers: RecallAnswerSources;
  quality: ContainmentPort;
  identity: SignaturePort;
}

/** What opening a real recall journals before quality is asked for the holds (decision 0012). */
export interface OpenWrite {
  caseId: string;
  number: string;
  openedAt: string;
  sourceLotIds: string[];
  supplierIds: string[] | null;
  answeredInMs: number;
}

type CaseRef = { recallCaseId: string };

/**
 * Recall cases and mock-recall drills (issue 21, decision 0023). Opening one freezes the affected
 * set; a real recall also has quality hold it, journalled first so that a crash between the two
 * is completed by recovery. Every read of a case walks the genealogy again, so lots made from
 * affected material after the case opened, and later receipts of its supplier lot code, join it.
 * Running recalls is for managers; auditors read them.
 */
export class RecallCaseService {
  /** Per case record read in a request: its answer, computed once for all the fields that need it. */
  readonly #answers = new WeakMap<RecallCaseRecord, Promise<RecallAnswer>>();

  constructor(private readonly deps: RecallCaseDeps) {}

  open(caller: Principal | null, raw: unknown, requestId: string): Promise<RecallCaseRecord> {
    const drill = typeof raw === "object" && raw !== null && (raw as { drill?: unknown }).drill === true;
    return drill ? this.#openDrill(caller, raw) : this.#openRecall(caller, raw, requestId);
  }

  /** A drill: the same answer, timed, with no holds and no peer write, so no journal. */
  async #openDrill(caller: Principal | null, raw: unknown): Promise<RecallCaseRecord> {
    let answered: RecallAnswer | null = null;
    const opened = await command(this.deps.db, caller, raw, {
      name: "openRecall",
      role: "MANAGER",
      input: openSchema,
      prepare: async (input) => {
        const started = performance.now();
        const sourceLotIds = await this.#sourceLots(input);
        const answer = await this.#answer(sourceLotIds, []);
        answered = answer;
        return { sourceLotIds, answer, answeredInMs: Math.round(performance.now() - started) };
      },
      run: async ({ tx, input, actor, record, prepared }): Promise<CaseRef> => {
        const openedAt = new Date();
        const created = await this.#insertCase(tx, input, actor, {
          caseId: randomUUID(),
          number: await store.takeCaseNumber(tx, true, openedAt),
          openedAt,
          drill: true,
          answeredInMs: prepared.answeredInMs,
          containment: "NONE",
          holdIds: [],
          supplierHoldIds: [],
          frozen: prepared.answer.scope.lots.map((l) => l.lot.id),
        });
        await store.insertAnswer(tx, created.id, prepared.answer);
        record.audit({
          action: "recall.drillOpened",
          entityType: "RecallCase",
          entityId: created.id,
          reason: created.reason,
          after: caseAudit(created, prepared.answer.scope.lots.length),
        });
        record.event(caseEvent("opened", created));
        return { recallCaseId: created.id };
      },
      reload: ({ recallCaseId }, { tx }) => this.#reload(tx, recallCaseId),
    });
    // Answered by what it was opened with, without reading back what was just written.
    if (answered) this.#answers.set(opened, Promise.resolve(answered));
    return opened;
  }

  /** A real recall: journal, have quality hold the scope, then record the case with its holds. */
  #openRecall(caller: Principal | null, raw: unknown, requestId: string): Promise<RecallCaseRecord> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "openRecall",
      role: "MANAGER",
      input: openSchema,
      journal: async (input, principal): Promise<OpenWrite> => {
        const started = performance.now();
        const sourceLotIds = await this.#sourceLots(input);
        await this.#answer(sourceLotIds, []);
        const supplierIds = input.supplierLotCode
          ? await store.suppliersOfCode(this.deps.db.client, input.supplierLotCode)
          : null;
        const key = input.idempotencyKey;
        const openedAt = new Date();
        return {
          caseId: key ? derivedUuid(`openRecall:${principal.id}:${key}`) : randomUUID(),
          number: await store.takeCaseNumber(this.deps.db.client, false, openedAt),
          openedAt: openedAt.toISOString(),
          sourceLotIds,
          supplierIds,
          answeredInMs: Math.round(performance.now() - started),
        };
      },
      complete: (write) => this.completeOpening(write, requestId),
      reload: ({ recallCaseId }: CaseRef) => this.#reload(this.deps.db.client, recallCaseId),
    });
  }

  /**
   * Quality holds the scope, then the case is recorded with the hold ids and the affected set as
   * it stands after the holds (anything made before them is in the set, anything after is held),
   * once: by the request, or by recovery after a crash.
   */
  completeOpening(write: PendingWrite<Journalled<OpenWrite, Omit<OpenInput, "idempotencyKey">>>, requestId: string) {
    return completeJournalled(this.deps.db, write, {
      name: "openRecall",
      call: async ({ caseId, number, input, actor, sourceLotIds, supplierIds }) => {
        const held = await this.deps.quality.placeRecallContainment(
          {
            recallCaseId: caseId,
            caseNumber: number,
            lotId: input.lotId ?? null,
            supplierLotCode: input.supplierLotCode ?? null,
            supplierIds,
            reason: input.reason,
            openedBy: { id: actor.id, name: actor.name },
          },
          requestId,
        );
        const scope = await recallScope(this.deps, sourceLotIds, []);
        return { ...held, frozen: scope.lots.map((l) => l.lot.id) };
      },
      run: async ({ tx, actor, record, write: w, called }): Promise<CaseRef> => {
        const created = await this.#insertCase(tx, w.input, actor, {
          caseId: w.caseId,
          number: w.number,
          openedAt: new Date(w.openedAt),
          drill: false,
          answeredInMs: w.answeredInMs,
          containment: "PLACED",
          holdIds: called.holdIds,
          supplierHoldIds: called.supplierHoldIds,
          frozen: called.frozen,
        });
        record.audit({
          action: "recall.opened",
          entityType: "RecallCase",
          entityId: created.id,
          reason: created.reason,
          after: {
            ...caseAudit(created, called.frozen.length),
            holdIds: called.holdIds,
            supplierHoldIds: called.supplierHoldIds,
          },
        });
        record.event(caseEvent("opened", created));
        return { recallCaseId: created.id };
      },
      reload: ({ recallCaseId }) => this.#reload(this.deps.db.client, recallCaseId),
    });
  }

  /** Records that a customer the case reaches was told (MANAGER). */
  recordNotice(caller: Principal | null, raw: unknown): Promise<RecallCaseRecord> {
    return command(this.deps.db, caller, raw, {
      name: "recordRecallNotice",
      role: "MANAGER",
      input: noticeSchema,
      prepare: async (input) => {
        const found = await this.#mustFind(input.recallCaseId);
        if (found.drill) throw conflict("a drill takes no notices: customers are not told of a mock recall");
        const scope = await recallScope(this.deps, await this.sourceLotsOf(found), await this.#frozen(found));
        const lotIds = scope.lots.map((l) => l.lot.id);
        const firstShipment = await store.firstShipmentTo(this.deps.db.client, lotIds, input.customerId);
        if (!firstShipment) throw badInput("customerId", "no shipment of an affected lot went to this customer");
        // A notice tells a customer of what it received: none can be dated before the first of it
        // (by more than the minute people write times to).
        if (input.notifiedAt.getTime() < firstShipment.getTime() - NOTICE_TIME_PRECISION_MS)
          throw badInput(
            "notifiedAt",
            `is before the first affected shipment to this customer (${firstShipment.toISOString()}): a notice can only be of what was shipped`,
          );
      },
      run: async ({ tx, input, actor, record }): Promise<CaseRef> => {
        const locked = await this.#mustLock(tx, input.recallCaseId);
        if (locked.status === "CLOSED") throw conflict(`recall ${locked.number} is closed`);
        const notice: RecallNoticeRecord = {
          id: randomUUID(),
          caseId: locked.id,
          customerId: input.customerId,
          notifiedAt: input.notifiedAt,
          acknowledgedAt: input.acknowledgedAt ?? null,
          note: input.note ?? "",
          recordedAt: new Date(),
          recordedById: actor.id,
          recordedByName: actor.name,
        };
        await store.insertNotice(tx, notice);
        record.audit({
          action: "recall.noticeRecorded",
          entityType: "RecallCase",
          entityId: locked.id,
          after: {
            noticeId: notice.id,
            customerId: notice.customerId,
            notifiedAt: notice.notifiedAt.toISOString(),
            acknowledgedAt: notice.acknowledgedAt?.toISOString() ?? null,
            note: notice.note,
          },
        });
        record.event(caseEvent("noticeRecorded", locked, notice.customerId));
        return { recallCaseId: locked.id };
      },
      reload: ({ recallCaseId }, { tx }) => this.#reload(tx, recallCaseId),
    });
  }

  /**
   * Closes a case with a reason and an electronic signature (MANAGER). A real recall may not close
   * while a customer it reaches has not been told: that is the one thing a closed recall must
   * never have left undone.
   */
  close(caller: Principal | null, raw: unknown, requestId: string): Promise<RecallCaseRecord> {
    return command(this.deps.db, caller, raw, {
      name: "closeRecall",
      role: "MANAGER",
      input: closeSchema,
      request: (input, principal) => {
        const { signature: given, idempotencyKey: _key, ...rest } = input;
        return { ...rest, meaning: requireSignature(principal, given).meaning };
      },
      prepare: async (input, principal) => {
        const found = await this.#mustFind(input.recallCaseId);
        if (found.status === "CLOSED") throw conflict(`recall ${found.number} is already closed`);
        const given = requireSignature(principal, input.signature);
        const check = await this.deps.identity.verifySignature(principal.id, given.password, requestId);
        if (check.lockedUntil)
          throw new DomainError(
            "SIGNATURE_REQUIRED",
            `signing is locked until ${check.lockedUntil.toISOString()} after repeated wrong passwords`,
            { lockedUntil: check.lockedUntil.toISOString() },
          );
        if (!check.signer) throw new DomainError("SIGNATURE_REQUIRED", "the signature is not valid: wrong password");
        const customers = found.drill ? [] : (await this.answerOf(found)).exposure.customers.map((c) => c.customer.id);
        return { signerName: check.signer.name, meaning: given.meaning, signedAt: new Date(), customers };
      },
      run: async ({ tx, input, actor, record, prepared }): Promise<CaseRef> => {
        const locked = await this.#mustLock(tx, input.recallCaseId);
        if (locked.status === "CLOSED") throw conflict(`recall ${locked.number} is already closed`);
        const told = new Set((await store.noticesOf(tx, locked.id)).map((n) => n.customerId));
        const untold = prepared.customers.filter((c) => !told.has(c));
        if (untold.length > 0)
          throw new DomainError(
            "CONFLICT",
            `${untold.length} customer(s) reached by recall ${locked.number} have not been told: record their notices first`,
            { customerIds: untold },
          );
        const closed = {
          closedAt: prepared.signedAt,
          closedById: actor.id,
          closedByName: actor.name,
          closeReason: input.reason,
          signerName: prepared.signerName,
          signedAt: prepared.signedAt,
          signatureMeaning: prepared.meaning,
        };
        await store.closeCase(tx, locked.id, closed);
        record.audit({
          action: locked.drill ? "recall.drillClosed" : "recall.closed",
          entityType: "RecallCase",
          entityId: locked.id,
          reason: input.reason,
          before: { status: locked.status },
          after: { status: "CLOSED", signerName: closed.signerName, meaning: closed.signatureMeaning },
        });
        record.event(caseEvent("closed", { ...locked, status: "CLOSED" }));
        return { recallCaseId: locked.id };
      },
      reload: ({ recallCaseId }, { tx }) => this.#reload(tx, recallCaseId),
    });
  }

  async recallCase(caller: Principal | null, caseId: string): Promise<RecallCaseRecord | null> {
    requireRole(caller, "MANAGER", "AUDITOR");
    if (!id.safeParse(caseId).success) return null;
    return store.findCase(this.deps.db.client, caseId);
  }

  async recallCases(
    caller: Principal | null,
    args: PageArgs & { status?: RecallCaseStatus | null; drill?: boolean | null },
  ): Promise<Connection<RecallCaseRecord>> {
    requireRole(caller, "MANAGER", "AUDITOR");
    const page = readPage(args);
    const after = page.after ? afterKey(page.after) : null;
    const { rows, total } = await store.pageCases(
      this.deps.db.client,
      { status: args.status ?? null, drill: args.drill ?? null },
      after,
      page.limit,
    );
    return toConnection(rows, page, (c) => [c.openedAt.toISOString(), c.id], total);
  }

  notices(record: RecallCaseRecord): Promise<RecallNoticeRecord[]> {
    return store.noticesOf(this.deps.db.client, record.id);
  }

  /**
   * Scope, exposure and reconciliation of a case: a recall's now, a drill's as found when it ran
   * (decision 0028; a drill opened before its answer was kept is answered now). Once per case
   * record read.
   */
  answerOf(record: RecallCaseRecord): Promise<RecallAnswer> {
    let answer = this.#answers.get(record);
    if (!answer) {
      answer = (async () =>
        (record.drill ? await store.keptAnswer(this.deps.db.client, record.id) : null) ??
        this.#answer(await this.sourceLotsOf(record), await this.#frozen(record)))();
      this.#answers.set(record, answer);
    }
    return answer;
  }

  async openActions(record: RecallCaseRecord): Promise<RecallActionView[]> {
    if (record.status === "CLOSED") return [];
    const [answer, notices] = await Promise.all([this.answerOf(record), this.notices(record)]);
    // A drill lists only the reconciliation: what is on hand decides nothing for it.
    const onHand = record.drill ? [] : await this.deps.inventory.lotFacts(answer.scope.onHand.map((l) => l.id));
    return openActions({ drill: record.drill, answer, notices, onHand });
  }

  /**
   * The lots a case starts from, now: its lot, or every lot received under its supplier lot code
   * so far (a receipt after the case opened is part of it).
   */
  async sourceLotsOf(record: RecallCaseRecord): Promise<string[]> {
    if (record.sourceLotId) return [record.sourceLotId];
    return this.deps.genealogy.lotsBySupplierLotCode(record.supplierLotCode ?? "");
  }

  async #answer(sourceLotIds: string[], frozen: string[]): Promise<RecallAnswer> {
    const [scope, exposure, reconciliation] = await Promise.all([
      recallScope(this.deps, sourceLotIds, frozen),
      this.deps.answers.exposure(sourceLotIds),
      this.deps.answers.reconciliation(sourceLotIds),
    ]);
    return { scope, exposure, reconciliation };
  }

  #frozen(record: RecallCaseRecord): Promise<string[]> {
    return store.frozenLotIds(this.deps.db.client, record.id);
  }

  /** The start of a new case: a lot inventory knows, or a supplier lot code someone received. */
  async #sourceLots(input: OpenInput): Promise<string[]> {
    const lots = await sourceLots(this.deps.genealogy, input);
    // A lot the genealogy has not seen yet may still be inventory's: ask the owner.
    if (input.lotId && (await this.deps.inventory.lotFacts([input.lotId])).length === 0)
      throw notFound("Lot", input.lotId);
    return lots;
  }

  async #insertCase(
    tx: TraceabilityTx,
    input: Omit<OpenInput, "idempotencyKey">,
    actor: { id: string; name: string },
    facts: NewCaseFacts & { frozen: string[] },
  ): Promise<RecallCaseRecord> {
    const created = newCase(input, actor, facts);
    await store.insertCase(tx, created, facts.frozen);
    return created;
  }

  async #reload(db: TraceabilityClient | TraceabilityTx, caseId: string): Promise<RecallCaseRecord> {
    const found = await store.findCase(db, caseId);
    if (!found) throw new Error(`recall case ${caseId} vanished`);
    return found;
  }

  async #mustFind(caseId: string): Promise<RecallCaseRecord> {
    const found = await store.findCase(this.deps.db.client, caseId);
    if (!found) throw notFound("RecallCase", caseId);
    return found;
  }

  async #mustLock(tx: TraceabilityTx, caseId: string): Promise<RecallCaseRecord> {
    const locked = await store.lockCase(tx, caseId);
    if (!locked) throw notFound("RecallCase", caseId);
    return locked;
  }
}
