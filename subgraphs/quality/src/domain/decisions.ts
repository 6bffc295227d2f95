import { randomUUID } from "node:crypto";
import {
  DomainError,
  SUBJECTS,
  badInput,
  completeJournalled,
  decodeCursor,
  journalledCommand,
  notFound,
  readPage,
  requireAuthenticated,
  toConnection,
  type Connection,
  type Journalled,
  type PageArgs,
  type PendingWrite,
  type Principal,
  type RequestOf,
} from "@lotgraph/kit";
import { z } from "zod";
import type { QualityLoaders } from "../loaders.ts";
import { findDecisions, insertDecision, measuredValues, pageDecisions } from "../store/decision-store.ts";
import { findGates } from "../store/gate-store.ts";
import { linkDecision } from "../store/hold-store.ts";
import { conflict, derivedUuid, type QualityDeps } from "./common.ts";
import type { HeldLot, LotOutputContext, RunGateContext } from "./peers.ts";
import { id, idempotencyKey, optionalText, text } from "@lotgraph/kit";
import { recordPlacement } from "./placements.ts";
import { vanished, type QualityCommand } from "./quality-command.ts";
import type { DecisionRecord, GateRecord, MeasurementRecord, StatisticsView } from "./records.ts";
import { capability } from "./statistics.ts";

const recordSchema = z
  .object({
    gateId: id,
    runId: id.nullish(),
    lotId: id.nullish(),
    decision: z.enum(["PASS", "HOLD", "FAIL"]),
    notes: optionalText(2000),
    measurements: z
      .array(z.object({ characteristic: text(100), value: z.number().finite("must be a finite number") }))
      .max(100)
      .nullish(),
    idempotencyKey,
  })
  .refine((input) => input.runId || input.lotId, { message: "give a runId, a lotId or both", path: ["lotId"] })
  .transform((parsed) => ({
    ...parsed,
    runId: parsed.runId ?? null,
    lotId: parsed.lotId ?? null,
    measurements: parsed.measurements ?? [],
  }));

type Input = RequestOf<typeof recordSchema>;

/** What a decision's reads batch through: the request's loaders of decisions and gates. */
export type DecisionLoaders = Pick<QualityLoaders, "decision" | "gate">;

export interface RecordedDecision {
  decision: DecisionRecord;
  affectedLotIds: string[];
}

/**
 * QC decisions, and what they do to material (positive release):
 * - A PASS needs every characteristic of the gate measured and within its limits; at a gate with
 *   segregation of duties, nobody who recorded the run's (or the lot's) output may record it.
 *   On a lot it settles its incoming inspection and a rejection; on a run it settles the gate for
 *   every output, present and future.
 * - HOLD or FAIL on a lot holds it and every descendant; FAIL also rejects it until a later PASS
 *   or a signed USE_AS_IS. On a run it holds every output and descendant, and every output
 *   recorded later until the hold is released or a later decision at the gate supersedes it.
 * - A decision on a run at the gate of a phase the run has not reached is CONFLICT.
 * Inventory applies the effect first (one idempotent call, outside any quality transaction), so a
 * refusal records nothing; then the decision and its holds are written in one transaction.
 * Built per request (see quality-services.ts), so reads batch through that request's loaders.
 */
export class DecisionService {
  constructor(
    private readonly deps: QualityDeps,
    private readonly loaders: DecisionLoaders,
  ) {}

  /** Records PASS, HOLD or FAIL at a gate (OPERATOR). */
  recordQcDecision(caller: Principal | null, raw: unknown, requestId: string): Promise<RecordedDecision> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "recordQcDecision",
      role: "OPERATOR",
      input: recordSchema,
      journal: (input, principal) => this.checkDecision(input, principal, requestId),
      complete: (write) => this.completeDecision(write, requestId),
      reload: (stored: StoredDecision) => this.reload(stored),
    });
  }

  /**
   * The decision's rules, checked before anything is written (quality's own, then what production
   * and inventory know): returns what its completion records, with every id already chosen.
   */
  private async checkDecision(
    input: Input & { idempotencyKey?: string | null },
    actor: Principal,
    requestId: string,
  ): Promise<DecisionToRecord> {
    const [gate] = await findGates(this.deps.db.client, [input.gateId]);
    if (!gate) throw notFound("QcGate", input.gateId);
    const measurements = checkMeasurements(gate, input.decision, input.measurements);
    const run = input.runId ? await this.runAtGate(input.runId, gate, requestId) : null;
    if (input.lotId && !(await this.deps.inventory.existingLots([input.lotId], requestId)).has(input.lotId))
      throw notFound("Lot", input.lotId);
    // A lot a run made: who recorded it (segregation of duties) and on which line (line holds).
    const made = input.lotId ? await this.deps.production.lotOutputContext(input.lotId, requestId) : null;
    if (made && made.runId !== input.runId) await this.lotAtGate(made.runId, gate, requestId);
    if (!gate.active) await this.requirePlannedThrough(gate, run, made, requestId);
    if (input.decision === "PASS" && gate.segregationOfDuties) requireIndependent(actor, gate, run, made);

    const key = input.idempotencyKey;
    const placementId =
      input.decision !== "PASS" ? (key ? derivedUuid(`recordQcDecision:${actor.id}:${key}`) : randomUUID()) : null;
    return {
      decisionId: randomUUID(),
      decidedAt: new Date().toISOString(),
      gate: { id: gate.id, name: gate.name },
      measurements,
      placementId,
      lineId: run?.lineId ?? made?.lineId ?? null,
      inventoryKey: `decision:${key ? derivedUuid(`recordQcDecision:${actor.id}:${key}`) : randomUUID()}`,
    };
  }

  /**
   * Inventory applies the decision's effect, then quality records the decision and its holds,
   * once: run by the request and, for a decision it journalled and did not finish, by recovery.
   */
  completeDecision(write: PendingWrite<DecisionWrite>, requestId: string): Promise<RecordedDecision> {
    const { gate, input, placementId } = write.payload;
    const reason = `${input.decision} at gate ${gate.name}${input.notes ? `: ${input.notes}` : ""}`;
    return completeJournalled(this.deps.db, write, {
      name: "recordQcDecision",
      call: ({ actor, inventoryKey }) =>
        this.deps.inventory.applyQcDecision(
          {
            gateId: gate.id,
            runId: input.runId,
            lotId: input.lotId,
            result: input.decision,
            holdId: placementId,
            // Inventory's audit entry of each held lot names the cause: the hold and where it started.
            reason: placementId
              ? `quality hold ${placementId} on ${input.lotId ? `lot ${input.lotId}` : `the outputs of run ${input.runId}`} and descendants: ${reason}`
              : reason,
            performedBy: actor,
            idempotencyKey: inventoryKey,
          },
          requestId,
        ),
      run: async (cmd) => ({
        decisionId: await recordDecision(cmd, cmd.write, reason, cmd.called),
        affectedLotIds: cmd.called.map((lot) => lot.id),
      }),
      reload: (stored) => this.reload(stored),
    });
  }

  async decision(caller: Principal | null, decisionId: string): Promise<DecisionRecord | null> {
    requireAuthenticated(caller);
    return this.loaders.decision.load(decisionId);
  }

  /** Decisions, newest first; of one gate when `gateId` is given. */
  async decisions(
    caller: Principal | null,
    gateId: string | null,
    args: PageArgs,
    decidedSince: Date | null = null,
  ): Promise<Connection<DecisionRecord>> {
    requireAuthenticated(caller);
    const page = readPage(args);
    const after = args.after ? decisionKey(decodeCursor(args.after)) : null;
    const { rows, total } = await pageDecisions(this.deps.db.client, gateId, after, page.limit, decidedSince);
    return toConnection(rows, page, (d) => [d.decidedAt.toISOString(), d.id], total);
  }

  /** Capability of one characteristic over the decisions made in [from, to). */
  async statistics(
    caller: Principal | null,
    args: { gateId: string; characteristic: string; from: Date; to: Date },
  ): Promise<StatisticsView> {
    requireAuthenticated(caller);
    const gate = await this.loaders.gate.load(args.gateId);
    if (!gate) throw notFound("QcGate", args.gateId);
    const spec = gate.characteristics.find((c) => c.name === args.characteristic);
    if (!spec) throw badInput("characteristic", `gate ${gate.name} has no characteristic ${args.characteristic}`);
    if (args.from.getTime() >= args.to.getTime()) throw badInput("to", "to must be after from");
    const values = await measuredValues(this.deps.db.client, gate.id, spec.name, args.from, args.to);
    return {
      gate,
      characteristic: spec.name,
      lower: spec.lower,
      upper: spec.upper,
      ...capability(values, spec.lower, spec.upper),
    };
  }

  /**
   * The run the decision is about (NOT_FOUND when production does not know it). A gate of the
   * run's routing can only be decided once the run has reached its phase: a PASS recorded ahead
   * would let the run through a check its product never went through.
   */
  private async runAtGate(
    runId: string,
    gate: GateRecord,
    requestId: string,
    known?: RunGateContext,
  ): Promise<RunGateContext> {
    const run = known ?? (await this.deps.production.runGateContext(runId, requestId));
    if (!run) throw notFound("ProductionRun", runId);
    const phase = run.phases.find((p) => p.gateId === gate.id);
    if (phase && phase.sequence > run.reachedPhase)
      throw conflict(
        `the run has not reached phase ${phase.sequence} (${phase.name}) yet: gate ${gate.name} is decided when it gets there`,
        { runId, gateId: gate.id, phase: phase.sequence, reachedPhase: run.reachedPhase },
      );
    return run;
  }

  /**
   * A lot whose run is still in progress goes through its run's gates with the run: deciding it
   * at a gate of a phase the run has not reached is CONFLICT, as for the run. Once the run has
   * ended (completed, or cancelled short of the gate), the lot may be checked on its own.
   */
  private async lotAtGate(runId: string, gate: GateRecord, requestId: string): Promise<void> {
    const run = await this.deps.production.runGateContext(runId, requestId);
    if (run?.status === "IN_PROGRESS") await this.runAtGate(runId, gate, requestId, run);
  }

  /**
   * A deactivated gate still decides the work planned through it before it was retired: a run
   * whose routing names it (it cannot pass without the gate's PASS, so refusing would strand it
   * and its outputs) and the lots such a run made. Anything else is CONFLICT: new work is judged
   * at an active gate.
   */
  private async requirePlannedThrough(
    gate: GateRecord,
    run: RunGateContext | null,
    made: LotOutputContext | null,
    requestId: string,
  ): Promise<void> {
    const routes = (context: RunGateContext | null) => context?.phases.some((p) => p.gateId === gate.id) ?? false;
    if (routes(run)) return;
    if (made && made.runId !== run?.runId && routes(await this.deps.production.runGateContext(made.runId, requestId)))
      return;
    throw conflict(
      `gate ${gate.name} is deactivated: it only decides runs planned through it and the lots they made; record this decision at an active gate`,
      { gateId: gate.id, deactivatedAt: gate.deactivatedAt?.toISOString() ?? null },
    );
  }

  private async reload(stored: StoredDecision): Promise<RecordedDecision> {
    const [decision] = await findDecisions(this.deps.db.client, [stored.decisionId]);
    return { decision: decision ?? vanished("decision", stored.decisionId), affectedLotIds: stored.affectedLotIds };
  }
}

/**
 * Records a decision inventory has applied, with its audit entry and event, and the holds of its
 * placement on the lots inventory held. Returns the decision's id.
 */
async function recordDecision(
  { tx, actor, record }: QualityCommand,
  write: DecisionWrite,
  reason: string,
  held: readonly HeldLot[],
): Promise<string> {
  const { gate, input, placementId } = write;
  const decision = await insertDecision(tx, {
    id: write.decisionId,
    gateId: gate.id,
    runId: input.runId,
    lotId: input.lotId,
    result: input.decision,
    notes: input.notes,
    decidedAt: new Date(write.decidedAt),
    decidedById: actor.id,
    decidedByName: actor.name,
    holdId: placementId,
    lineId: write.lineId,
    measurements: write.measurements,
  });
  record.audit({
    action: "qcDecision.recorded",
    entityType: "QcDecision",
    entityId: decision.id,
    reason: input.notes,
    after: decision,
  });
  record.event({
    subject: SUBJECTS.quality.decisionRecorded,
    entityType: "QcDecision",
    entityId: decision.id,
    payload: {
      decisionId: decision.id,
      gateId: gate.id,
      runId: decision.runId,
      lotId: decision.lotId,
      lineId: decision.lineId,
      result: decision.result,
      holdId: decision.holdId,
    },
  });
  if (placementId) {
    await recordPlacement(
      tx,
      { id: placementId, kind: "root", reason, decisionId: decision.id, propagate: true, actor },
      held.map((lot) => ({ lotId: lot.id })),
    );
    // An output made between inventory's change and this transaction was recorded from
    // inventory's report without the decision: name it now.
    await linkDecision(tx, placementId, decision.id);
  }
  return decision.id;
}

/** Segregation of duties: a PASS comes from someone who did not record the output it releases. */
function requireIndependent(
  actor: Principal,
  gate: GateRecord,
  run: RunGateContext | null,
  made: LotOutputContext | null,
): void {
  const recorders = new Set([...(run?.outputRecorderIds ?? []), ...(made ? [made.recorderId] : [])]);
  if (recorders.has(actor.id))
    throw new DomainError(
      "FORBIDDEN",
      `gate ${gate.name} needs a second person: you recorded the output it would release, so someone else must pass it`,
      { gateId: gate.id, segregationOfDuties: true },
    );
}

/** What a decision's completion records, chosen before inventory is called. */
interface DecisionToRecord {
  decisionId: string;
  decidedAt: string;
  gate: { id: string; name: string };
  measurements: MeasurementRecord[];
  placementId: string | null;
  lineId: string | null;
  inventoryKey: string;
}

/** A decision journalled before inventory is called: everything its completion needs. */
export type DecisionWrite = Journalled<DecisionToRecord, Input>;

/** A keyset cursor of (decidedAt, id). */
function decisionKey(key: string[]): { decidedAt: Date; id: string } {
  const [decidedAt, decisionId] = key;
  const at = decidedAt ? new Date(decidedAt) : null;
  if (!at || Number.isNaN(at.getTime()) || !decisionId)
    throw new DomainError("BAD_USER_INPUT", "after is not a decision cursor");
  return { decidedAt: at, id: decisionId };
}

type StoredDecision = {
  decisionId: string;
  affectedLotIds: string[];
};

/**
 * Measurements with the limits they are checked against. Each must name a characteristic of the
 * gate, once. A PASS needs every characteristic measured, each within [lower, upper]; the refusal
 * names the characteristics missing or outside.
 */
function checkMeasurements(
  gate: GateRecord,
  decision: "PASS" | "HOLD" | "FAIL",
  measurements: ReadonlyArray<{ characteristic: string; value: number }>,
): MeasurementRecord[] {
  const seen = new Set<string>();
  const checked = measurements.map(({ characteristic, value }) => {
    const spec = gate.characteristics.find((c) => c.name === characteristic);
    if (!spec)
      throw new DomainError("BAD_USER_INPUT", `gate ${gate.name} has no characteristic ${characteristic}`, {
        field: "measurements",
        characteristic,
        known: gate.characteristics.map((c) => c.name),
      });
    if (seen.has(characteristic))
      throw new DomainError("BAD_USER_INPUT", `characteristic ${characteristic} is measured twice`, {
        field: "measurements",
        characteristic,
      });
    seen.add(characteristic);
    return { characteristic, value, lower: spec.lower, upper: spec.upper };
  });
  if (decision !== "PASS") return checked;
  const missing = gate.characteristics.filter((c) => !seen.has(c.name)).map((c) => c.name);
  if (missing.length)
    throw new DomainError(
      "BAD_USER_INPUT",
      `a PASS at gate ${gate.name} needs every characteristic measured; missing: ${missing.join(", ")}`,
      { field: "measurements", missing },
    );
  const outside = checked.find((m) => m.value < m.lower || m.value > m.upper);
  if (outside)
    throw new DomainError(
      "BAD_USER_INPUT",
      `${outside.characteristic} = ${outside.value} is outside its limits [${outside.lower}, ${outside.upper}]: it cannot be recorded as PASS`,
      { field: "measurements", characteristic: outside.characteristic, value: outside.value },
    );
  return checked;
}
