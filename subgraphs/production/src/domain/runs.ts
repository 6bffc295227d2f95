import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  badInput,
  command,
  isUuid,
  decodeCursor,
  notFound,
  readPage,
  requireAuthenticated,
  toConnection,
  type Connection,
  type NewEvent,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { ProductionLoaders } from "../loaders.ts";
import type { ProductionTx } from "../store/db.ts";
import * as runStore from "../store/run-store.ts";
import { findPhases, findWorkOrders } from "../store/work-order-store.ts";
import { conflict, type ProductionDeps } from "./common.ts";
import { vanished } from "./production-command.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { requireActiveLine } from "./lines.ts";
import { requireGatePassed } from "./quality-port.ts";
import type { RunRecord, WorkOrderRecord } from "./records.ts";
import { lockExisting, transition } from "./work-orders.ts";
import type { SubjectOf, runChangedPayload } from "@lotgraph/kit";

const startRunSchema = z.object({ workOrderId: id, idempotencyKey });
const advanceSchema = z.object({ runId: id, idempotencyKey });
const completeSchema = z.object({
  runId: id,
  closeWorkOrder: z
    .boolean()
    .nullish()
    .transform((close) => close ?? true),
  idempotencyKey,
});
const cancelSchema = z.object({ runId: id, reason: text(500), idempotencyKey });

/** What a run's reads batch through: the request's loaders of runs and of a lot's runs. */
export type RunLoaders = Pick<ProductionLoaders, "run" | "producingRunId" | "consumingRunIds">;

/**
 * Runs: one execution of a work order through its phases. Leaving a phase that names a quality
 * gate asks quality first: a blocking gate without PASS is GATE_BLOCKED (invariant 5), and when
 * quality cannot answer the run does not move. advancePhase leaves the current phase; completeRun
 * leaves every phase still ahead, so it is refused while any of their blocking gates has no PASS.
 * A cancelled run passes no gate: what it output keeps waiting for them (inventory holds it back).
 * Built per request (see production-services.ts), so reads batch through that request's loaders.
 */
export class RunService {
  constructor(
    private readonly deps: ProductionDeps,
    private readonly loaders: RunLoaders,
  ) {}

  /** Starts a run at phase 1 (OPERATOR); the work order must be RELEASED or IN_PROGRESS with no run in progress. */
  startRun(caller: Principal | null, raw: unknown): Promise<RunRecord> {
    return command(this.deps.db, caller, raw, {
      name: "startRun",
      role: "OPERATOR",
      input: startRunSchema,
      run: async (cmd) => {
        const { tx, actor } = cmd;
        const workOrder = await lockExisting(tx, cmd.input.workOrderId);
        if (workOrder.status !== "RELEASED" && workOrder.status !== "IN_PROGRESS")
          throw conflict(`work order is ${workOrder.status}; release it before starting a run`, {
            status: workOrder.status,
          });
        // A deactivated line takes no new work; a run in progress on it may still finish.
        if (workOrder.lineId) await requireActiveLine(tx, workOrder.lineId, null);
        if (await runStore.hasRunInProgress(tx, workOrder.id))
          throw conflict("this work order already has a run in progress; complete it first");
        const now = new Date();
        const run = await runStore.insertRun(tx, {
          id: randomUUID(),
          workOrderId: workOrder.id,
          status: "IN_PROGRESS",
          currentPhase: 1,
          operatorId: actor.id,
          operatorName: actor.name,
          startedAt: now,
          endedAt: null,
        });
        await runStore.startRunPhase(tx, run.id, 1, now);
        cmd.record.audit({ action: "run.started", entityType: "ProductionRun", entityId: run.id, after: run });
        cmd.record.event(runEvent(SUBJECTS.production.runStarted, run, workOrder));
        if (workOrder.status === "RELEASED") await transition(cmd, workOrder, "IN_PROGRESS", "workOrder.started", null);
        return run.id;
      },
      reload: (runId, { tx }) => this.load(runId, tx),
    });
  }

  /** Ends the current phase and starts the next (OPERATOR), once its gate lets the run pass. */
  advancePhase(caller: Principal | null, raw: unknown, requestId: string): Promise<RunRecord> {
    return command(this.deps.db, caller, raw, {
      name: "advancePhase",
      role: "OPERATOR",
      input: advanceSchema,
      prepare: (input) => this.#checkGates(input.runId, "current", requestId),
      run: async ({ tx, input, prepared: checked, record }) => {
        const { run, workOrder } = await lockInProgress(tx, input.runId);
        requireSamePhase(run, checked);
        const phases = (await findPhases(tx, [workOrder.id])).get(workOrder.id) ?? [];
        const current = run.currentPhase ?? 0;
        const next = phases.find((phase) => phase.sequence === current + 1);
        if (!next)
          throw conflict(`the run is in its last phase (${current} of ${phases.length}); complete the run instead`);
        const now = new Date();
        await runStore.endRunPhase(tx, run.id, current, now);
        await runStore.startRunPhase(tx, run.id, next.sequence, now);
        const after = await runStore.updateRun(tx, run.id, { currentPhase: next.sequence });
        record.audit({
          action: "run.phaseAdvanced",
          entityType: "ProductionRun",
          entityId: run.id,
          before: { currentPhase: current },
          after: { currentPhase: next.sequence },
        });
        record.event(runEvent(SUBJECTS.production.runPhaseAdvanced, after, workOrder));
        return run.id;
      },
      reload: (runId, { tx }) => this.load(runId, tx),
    });
  }

  /**
   * Ends the current phase and the run (OPERATOR): the run passes every phase still ahead, so each
   * of their gates must let it (GATE_BLOCKED names the first that does not). The work order becomes
   * COMPLETED unless the caller keeps it open for another run (a work order spread over shifts).
   */
  completeRun(caller: Principal | null, raw: unknown, requestId: string): Promise<RunRecord> {
    return command(this.deps.db, caller, raw, {
      name: "completeRun",
      role: "OPERATOR",
      input: completeSchema,
      prepare: (input) => this.#checkGates(input.runId, "remaining", requestId),
      run: async (cmd) => {
        const { tx, input } = cmd;
        const { run, workOrder } = await lockInProgress(tx, input.runId);
        requireSamePhase(run, cmd.prepared);
        const now = new Date();
        if (run.currentPhase !== null) await runStore.endRunPhase(tx, run.id, run.currentPhase, now);
        const after = await runStore.updateRun(tx, run.id, { status: "COMPLETED", currentPhase: null, endedAt: now });
        cmd.record.audit({
          action: "run.completed",
          entityType: "ProductionRun",
          entityId: run.id,
          before: { status: run.status, currentPhase: run.currentPhase },
          after: { status: after.status, endedAt: after.endedAt },
        });
        cmd.record.event(runEvent(SUBJECTS.production.runCompleted, after, workOrder));
        if (input.closeWorkOrder) {
          const current = await lockExisting(tx, workOrder.id);
          if (current.status === "IN_PROGRESS")
            await transition(cmd, current, "COMPLETED", "workOrder.completed", null);
        }
        return run.id;
      },
      reload: (runId, { tx }) => this.load(runId, tx),
    });
  }

  /**
   * Stops a run that will not finish (MANAGER), with a reason: it ends CANCELLED in its current
   * phase and passes no gate, so its outputs keep waiting for the gates it did not pass. The work
   * order stays IN_PROGRESS for another run.
   */
  cancelRun(caller: Principal | null, raw: unknown): Promise<RunRecord> {
    return command(this.deps.db, caller, raw, {
      name: "cancelRun",
      role: "MANAGER",
      input: cancelSchema,
      run: async ({ tx, input, record }) => {
        const { run, workOrder } = await lockInProgress(tx, input.runId);
        const now = new Date();
        if (run.currentPhase !== null) await runStore.endRunPhase(tx, run.id, run.currentPhase, now);
        const after = await runStore.updateRun(tx, run.id, { status: "CANCELLED", currentPhase: null, endedAt: now });
        record.audit({
          action: "run.cancelled",
          entityType: "ProductionRun",
          entityId: run.id,
          reason: input.reason,
          before: { status: run.status, currentPhase: run.currentPhase },
          after: { status: after.status, endedAt: after.endedAt, stoppedInPhase: run.currentPhase },
        });
        record.event(runEvent(SUBJECTS.production.runCancelled, after, workOrder));
        return run.id;
      },
      reload: (runId, { tx }) => this.load(runId, tx),
    });
  }

  async run(caller: Principal | null, runId: string): Promise<RunRecord | null> {
    requireAuthenticated(caller);
    return this.loaders.run.load(runId);
  }

  /**
   * Runs for an ERP's ledger: with `completedSince`, the runs that ended (COMPLETED or CANCELLED)
   * at or after it, in the order they ended (then by id); otherwise every run in the order it
   * started. The cursor is the sort key itself, so it stays valid across restarts and new runs
   * only ever come after it.
   */
  async runs(caller: Principal | null, filter: runStore.RunFilter, pageArgs: PageArgs): Promise<Connection<RunRecord>> {
    requireAuthenticated(caller);
    const page = readPage({ first: pageArgs.first });
    const order = filter.completedSince ? "ended" : "started";
    const after = pageArgs.after ? runCursor(decodeCursor(pageArgs.after), order) : null;
    if (filter.lineId && !isUuid(filter.lineId)) return toConnection([], page, () => [], 0);
    const { rows, totalCount } = await runStore.pageRuns(this.deps.db.client, filter, order, after, page.limit);
    return toConnection(
      rows,
      { ...page, after: after ? [] : null },
      (run) => [order, (order === "ended" ? run.endedAt! : run.startedAt).toISOString(), run.id],
      totalCount,
    );
  }

  async producedBy(caller: Principal | null, lotId: string): Promise<RunRecord | null> {
    requireAuthenticated(caller);
    const runId = await this.loaders.producingRunId.load(lotId);
    return runId ? this.loaders.run.load(runId) : null;
  }

  async consumedIn(caller: Principal | null, lotId: string): Promise<RunRecord[]> {
    requireAuthenticated(caller);
    const runIds = await this.loaders.consumingRunIds.load(lotId);
    const runs = await this.loaders.run.loadMany(runIds);
    return runs.filter((run): run is RunRecord => run !== null && !(run instanceof Error));
  }

  /**
   * Asks quality about the gates the run is about to pass (the current phase's, or every one from
   * the current phase to the last), before any transaction (none is held across an HTTP call).
   * Returns the phase checked from, so the write can confirm the run is still in it; refusals
   * (NOT_FOUND, CONFLICT) come from the same checks the write repeats under lock.
   */
  async #checkGates(runId: string, which: "current" | "remaining", requestId: string): Promise<number | null> {
    const [run] = await runStore.findRuns(this.deps.db.client, [runId]);
    if (!run) throw notFound("ProductionRun", runId);
    if (run.status !== "IN_PROGRESS") throw runNotInProgress(run);
    const current = run.currentPhase ?? 0;
    const phases = (await findPhases(this.deps.db.client, [run.workOrderId])).get(run.workOrderId) ?? [];
    const passing = phases.filter((p) => (which === "current" ? p.sequence === current : p.sequence >= current));
    const gated = passing.flatMap((p) =>
      p.gateId ? [{ runId: run.id, sequence: p.sequence, name: p.name, gateId: p.gateId }] : [],
    );
    const statuses = await this.deps.quality.gateStatuses(
      run.id,
      gated.map((phase) => phase.gateId),
      requestId,
    );
    gated.forEach((phase, index) => requireGatePassed(phase, statuses[index]!));
    return run.currentPhase;
  }

  private async load(runId: string, tx: ProductionTx): Promise<RunRecord> {
    const [run] = await runStore.findRuns(tx, [runId]);
    return run ?? vanished("run", runId);
  }
}

/** A cursor of `runs`: the order it was made for, then (time, id); another order's cursor is BAD_USER_INPUT. */
function runCursor(key: string[], order: runStore.RunOrder): runStore.RunKey {
  const [madeFor, at, runId] = key;
  const time = at ? new Date(at) : null;
  if (madeFor !== order || !time || Number.isNaN(time.getTime()) || !runId || !isUuid(runId))
    throw badInput("after", "after is not a cursor of this connection with this filter (completedSince or not)");
  return { at: time, id: runId };
}

/** Locks a run that must be IN_PROGRESS (NOT_FOUND or CONFLICT otherwise), with its work order. */
export async function lockInProgress(
  tx: ProductionTx,
  runId: string,
): Promise<{ run: RunRecord; workOrder: WorkOrderRecord }> {
  const run = await runStore.lockRun(tx, runId);
  if (!run) throw notFound("ProductionRun", runId);
  if (run.status !== "IN_PROGRESS") throw runNotInProgress(run);
  const [workOrder] = await findWorkOrders(tx, [run.workOrderId]);
  if (!workOrder) throw new Error(`run ${run.id} references missing work order ${run.workOrderId}`);
  return { run, workOrder };
}

/** The run moved on between the gate check and the write: its new phase was not checked. */
function requireSamePhase(run: RunRecord, checked: number | null): void {
  if (run.currentPhase !== checked)
    throw conflict("the run changed phase meanwhile; reload it and try again", {
      runId: run.id,
      currentPhase: run.currentPhase,
    });
}

export const runNotInProgress = (run: RunRecord) =>
  conflict(`run is ${run.status}; only a run IN_PROGRESS accepts this`, { runId: run.id, status: run.status });

/** A run event: the keys `runChanged(runId, lineId)` filters on, plus the state a display shows first. */
type RunSubject = SubjectOf<typeof runChangedPayload>;

export const runEvent = (subject: RunSubject, run: RunRecord, workOrder: WorkOrderRecord): NewEvent<RunSubject> => ({
  subject,
  entityType: "ProductionRun",
  entityId: run.id,
  payload: {
    runId: run.id,
    workOrderId: workOrder.id,
    lineId: workOrder.lineId,
    status: run.status,
    currentPhase: run.currentPhase,
  },
});
