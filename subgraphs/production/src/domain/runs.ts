import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  appendAudit,
  enqueueEvent,
  notFound,
  parseInput,
  requireAuthenticated,
  requireRole,
  withIdempotency,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { ProductionLoaders } from "../loaders.ts";
import type { ProductionTx } from "../store/db.ts";
import * as runStore from "../store/run-store.ts";
import { findPhases, findWorkOrders } from "../store/work-order-store.ts";
import { actorOf, conflict, storedResult, type ProductionDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { requireGatePassed } from "./quality-port.ts";
import type { RunRecord, WorkOrderRecord } from "./records.ts";
import { lockExisting, transition } from "./work-orders.ts";
import type { SubjectOf, runChangedPayload } from "@lotgraph/kit";

const startRunSchema = z.object({ workOrderId: id, idempotencyKey });
const advanceSchema = z.object({ runId: id, idempotencyKey });
const completeSchema = z.object({ runId: id, closeWorkOrder: z.boolean().nullish(), idempotencyKey });
const cancelSchema = z.object({ runId: id, reason: text(500), idempotencyKey });

/**
 * Runs: one execution of a work order through its phases. Leaving a phase that names a quality
 * gate asks quality first: a blocking gate without PASS is GATE_BLOCKED (invariant 5), and when
 * quality cannot answer the run does not move. advancePhase leaves the current phase; completeRun
 * leaves every phase still ahead, so it is refused while any of their blocking gates has no PASS.
 * A cancelled run passes no gate: what it output keeps waiting for them (inventory holds it back).
 */
export class RunService {
  constructor(private readonly deps: ProductionDeps) {}

  /** Starts a run at phase 1 (OPERATOR); the work order must be RELEASED or IN_PROGRESS with no run in progress. */
  async startRun(caller: Principal | null, raw: unknown): Promise<RunRecord> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey: key, ...input } = parseInput(startRunSchema, raw);
    const runId = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "startRun", key, input, async () => {
        const workOrder = await lockExisting(tx, input.workOrderId);
        if (workOrder.status !== "RELEASED" && workOrder.status !== "IN_PROGRESS")
          throw conflict(`work order is ${workOrder.status}; release it before starting a run`, {
            status: workOrder.status,
          });
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
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "run.started",
          entityType: "ProductionRun",
          entityId: run.id,
          after: run,
        });
        await emitRun(tx, SUBJECTS.production.runStarted, run, workOrder);
        if (workOrder.status === "RELEASED")
          await transition(tx, actorOf(actor), workOrder, "IN_PROGRESS", "workOrder.started", null);
        return run.id;
      }),
    );
    return this.load(runId);
  }

  /** Ends the current phase and starts the next (OPERATOR), once its gate lets the run pass. */
  async advancePhase(caller: Principal | null, raw: unknown, requestId: string): Promise<RunRecord> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey: key, ...input } = parseInput(advanceSchema, raw);
    if (await storedResult<string>(this.deps, "advancePhase", key, input)) return this.load(input.runId);
    const checked = await this.#checkGates(input.runId, "current", requestId);
    await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "advancePhase", key, input, async () => {
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
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "run.phaseAdvanced",
          entityType: "ProductionRun",
          entityId: run.id,
          before: { currentPhase: current },
          after: { currentPhase: next.sequence },
        });
        await emitRun(tx, SUBJECTS.production.runPhaseAdvanced, after, workOrder);
        return run.id;
      }),
    );
    return this.load(input.runId);
  }

  /**
   * Ends the current phase and the run (OPERATOR): the run passes every phase still ahead, so each
   * of their gates must let it (GATE_BLOCKED names the first that does not). The work order becomes
   * COMPLETED unless the caller keeps it open for another run (a work order spread over shifts).
   */
  async completeRun(caller: Principal | null, raw: unknown, requestId: string): Promise<RunRecord> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey: key, ...input } = parseInput(completeSchema, raw);
    const closeWorkOrder = input.closeWorkOrder ?? true;
    const request = { ...input, closeWorkOrder };
    if (await storedResult<string>(this.deps, "completeRun", key, request)) return this.load(input.runId);
    const checked = await this.#checkGates(input.runId, "remaining", requestId);
    await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "completeRun", key, request, async () => {
        const { run, workOrder } = await lockInProgress(tx, input.runId);
        requireSamePhase(run, checked);
        const now = new Date();
        if (run.currentPhase !== null) await runStore.endRunPhase(tx, run.id, run.currentPhase, now);
        const after = await runStore.updateRun(tx, run.id, { status: "COMPLETED", currentPhase: null, endedAt: now });
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "run.completed",
          entityType: "ProductionRun",
          entityId: run.id,
          before: { status: run.status, currentPhase: run.currentPhase },
          after: { status: after.status, endedAt: after.endedAt },
        });
        await emitRun(tx, SUBJECTS.production.runCompleted, after, workOrder);
        if (closeWorkOrder) {
          const current = await lockExisting(tx, workOrder.id);
          if (current.status === "IN_PROGRESS")
            await transition(tx, actorOf(actor), current, "COMPLETED", "workOrder.completed", null);
        }
        return run.id;
      }),
    );
    return this.load(input.runId);
  }

  /**
   * Stops a run that will not finish (MANAGER), with a reason: it ends CANCELLED in its current
   * phase and passes no gate, so its outputs keep waiting for the gates it did not pass. The work
   * order stays IN_PROGRESS for another run.
   */
  async cancelRun(caller: Principal | null, raw: unknown): Promise<RunRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...input } = parseInput(cancelSchema, raw);
    await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "cancelRun", key, input, async () => {
        const { run, workOrder } = await lockInProgress(tx, input.runId);
        const now = new Date();
        if (run.currentPhase !== null) await runStore.endRunPhase(tx, run.id, run.currentPhase, now);
        const after = await runStore.updateRun(tx, run.id, { status: "CANCELLED", currentPhase: null, endedAt: now });
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "run.cancelled",
          entityType: "ProductionRun",
          entityId: run.id,
          reason: input.reason,
          before: { status: run.status, currentPhase: run.currentPhase },
          after: { status: after.status, endedAt: after.endedAt, stoppedInPhase: run.currentPhase },
        });
        await emitRun(tx, SUBJECTS.production.runCancelled, after, workOrder);
        return run.id;
      }),
    );
    return this.load(input.runId);
  }

  async run(caller: Principal | null, runId: string, loaders: ProductionLoaders): Promise<RunRecord | null> {
    requireAuthenticated(caller);
    return loaders.run.load(runId);
  }

  async producedBy(caller: Principal | null, lotId: string, loaders: ProductionLoaders): Promise<RunRecord | null> {
    requireAuthenticated(caller);
    const runId = await loaders.producingRunId.load(lotId);
    return runId ? loaders.run.load(runId) : null;
  }

  async consumedIn(caller: Principal | null, lotId: string, loaders: ProductionLoaders): Promise<RunRecord[]> {
    requireAuthenticated(caller);
    const runIds = await loaders.consumingRunIds.load(lotId);
    const runs = await loaders.run.loadMany(runIds);
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

  private async load(runId: string): Promise<RunRecord> {
    const [run] = await runStore.findRuns(this.deps.db.client, [runId]);
    if (!run) throw new Error(`run ${runId} vanished after a committed change`);
    return run;
  }
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
export const emitRun = (
  tx: ProductionTx,
  subject: SubjectOf<typeof runChangedPayload>,
  run: RunRecord,
  workOrder: WorkOrderRecord,
) =>
  enqueueEvent(tx, {
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
