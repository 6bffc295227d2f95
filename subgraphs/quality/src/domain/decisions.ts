import { randomUUID } from "node:crypto";
import {
  DomainError,
  SUBJECTS,
  appendAudit,
  badInput,
  enqueueEvent,
  notFound,
  parseInput,
  requireAuthenticated,
  requireRole,
  withIdempotency,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { QualityLoaders } from "../loaders.ts";
import { findDecisions, insertDecision, measuredValues } from "../store/decision-store.ts";
import { findGates } from "../store/gate-store.ts";
import { actorOf, id, idempotencyKey, optionalText, storedResult, text, type QualityDeps } from "./common.ts";
import type { HoldPlan, HoldService } from "./holds.ts";
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
  .refine((input) => input.runId || input.lotId, { message: "give a runId, a lotId or both", path: ["lotId"] });

export interface RecordedDecision {
  decision: DecisionRecord;
  affectedLotIds: string[];
}

/**
 * QC decisions. A value outside its limits cannot be recorded as PASS. HOLD or FAIL on a lot
 * holds the lot and every descendant (as placeHold with propagate: a HOLD asks for a closer look,
 * and what was made from the lot must wait for it as well) before anything is recorded, so a
 * refusal from inventory or traceability records nothing; the decision and its holds are then
 * written in one transaction.
 */
export class DecisionService {
  constructor(
    private readonly deps: QualityDeps,
    private readonly holds: HoldService,
  ) {}

  /** Records PASS, HOLD or FAIL at a gate (OPERATOR). */
  async recordQcDecision(caller: Principal | null, raw: unknown, requestId: string): Promise<RecordedDecision> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey: key, ...parsed } = parseInput(recordSchema, raw);
    const input = {
      ...parsed,
      runId: parsed.runId ?? null,
      lotId: parsed.lotId ?? null,
      measurements: parsed.measurements ?? [],
    };
    const earlier = await storedResult<StoredDecision>(this.deps, "recordQcDecision", key, input);
    if (earlier) return this.reload(earlier);

    const [gate] = await findGates(this.deps.db.client, [input.gateId]);
    if (!gate) throw notFound("QcGate", input.gateId);
    const measurements = checkMeasurements(gate, input.decision, input.measurements);

    let plan: HoldPlan | null = null;
    if (input.lotId && input.decision !== "PASS") {
      const reason = `${input.decision} at gate ${gate.name}${input.notes ? `: ${input.notes}` : ""}`;
      const seed = key ? `recordQcDecision:${key}` : null;
      plan = await this.holds.hold(input.lotId, true, reason, actorOf(actor), seed, requestId);
    } else if (input.lotId) {
      const known = await this.deps.inventory.existingLots([input.lotId], requestId);
      if (!known.has(input.lotId)) throw notFound("Lot", input.lotId);
    }

    const stored = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "recordQcDecision", key, input, async () => {
        const decision = await insertDecision(tx, {
          id: randomUUID(),
          gateId: gate.id,
          runId: input.runId,
          lotId: input.lotId,
          result: input.decision,
          notes: input.notes,
          decidedAt: new Date(),
          decidedById: actor.id,
          decidedByName: actor.name,
          holdId: plan?.rootId ?? null,
          measurements,
        });
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "qcDecision.recorded",
          entityType: "QcDecision",
          entityId: decision.id,
          reason: input.notes,
          after: decision,
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.quality.decisionRecorded,
          entityType: "QcDecision",
          entityId: decision.id,
          payload: {
            decisionId: decision.id,
            gateId: gate.id,
            runId: decision.runId,
            lotId: decision.lotId,
            result: decision.result,
            holdId: decision.holdId,
          },
        });
        if (plan) await this.holds.record(tx, plan, true, actorOf(actor), decision.id);
        return { decisionId: decision.id, affectedLotIds: plan?.lotIds ?? [] };
      }),
    );
    return this.reload(stored);
  }

  async decision(
    caller: Principal | null,
    decisionId: string,
    loaders: QualityLoaders,
  ): Promise<DecisionRecord | null> {
    requireAuthenticated(caller);
    return loaders.decision.load(decisionId);
  }

  /** Capability of one characteristic over the decisions made in [from, to). */
  async statistics(
    caller: Principal | null,
    args: { gateId: string; characteristic: string; from: Date; to: Date },
    loaders: QualityLoaders,
  ): Promise<StatisticsView> {
    requireAuthenticated(caller);
    const gate = await loaders.gate.load(args.gateId);
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

  private async reload(stored: StoredDecision): Promise<RecordedDecision> {
    const [decision] = await findDecisions(this.deps.db.client, [stored.decisionId]);
    if (!decision) throw new Error(`decision ${stored.decisionId} vanished after its creation`);
    return { decision, affectedLotIds: stored.affectedLotIds };
  }
}

interface StoredDecision {
  decisionId: string;
  affectedLotIds: string[];
}

/**
 * Measurements with the limits they are checked against. Each must name a characteristic of the
 * gate, once; a PASS with any value outside [lower, upper] is refused naming the characteristic.
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
  if (decision === "PASS") {
    const outside = checked.find((m) => m.value < m.lower || m.value > m.upper);
    if (outside)
      throw new DomainError(
        "BAD_USER_INPUT",
        `${outside.characteristic} = ${outside.value} is outside its limits [${outside.lower}, ${outside.upper}]: it cannot be recorded as PASS`,
        { field: "measurements", characteristic: outside.characteristic, value: outside.value },
      );
  }
  return checked;
}
