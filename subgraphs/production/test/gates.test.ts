import { auditTrail } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADVANCE_PHASE, COMPLETE_RUN, RUN } from "./documents.ts";
import { basics, runningWorkOrder, unique, type Basics } from "./fixtures.ts";
import { PRODUCTION_TABLES, Plant, footprint, type GraphQLResult } from "./harness.ts";

const CREATE_GATE = `mutation ($input: CreateQcGateInput!) { createQcGate(input: $input) { gate { id } } }`;
const RECORD_DECISION = `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`;

interface RunView {
  status: string;
  currentPhase: { sequence: number; gateId: string | null } | null;
}

/** Invariant 5 against the REAL quality subgraph: a blocking gate without PASS stops the run. */
describe("production: quality gates stop a run", () => {
  let plant: Plant;
  let b: Basics;
  let blocking: string;
  let advisory: string;

  beforeAll(async () => {
    plant = await Plant.start();
    b = await basics(plant);
    const gate = async (blockingGate: boolean) =>
      (
        await plant.data<{ createQcGate: { gate: { id: string } } }>(
          "quality",
          CREATE_GATE,
          {
            input: {
              name: unique(blockingGate ? "Metal detection" : "Colour"),
              blocking: blockingGate,
              criticalControlPoint: blockingGate,
              characteristics: [{ name: "core temperature", lower: 72, upper: 90, unit: "°C" }],
            },
          },
          b.manager,
        )
      ).createQcGate.gate.id;
    blocking = await gate(true);
    advisory = await gate(false);
  });
  afterAll(async () => {
    await plant?.stop();
  });

  const code = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;
  const decide = (gateId: string, runId: string, decision: "PASS" | "HOLD" | "FAIL", value = 80) =>
    plant.data(
      "quality",
      RECORD_DECISION,
      { input: { gateId, runId, decision, measurements: [{ characteristic: "core temperature", value }] } },
      b.operator,
    );
  const run = async (runId: string) =>
    (await plant.data<{ run: RunView }>("production", RUN, { id: runId }, b.viewer)).run;
  /** A refusal must leave production exactly as it was. */
  const refusedWithoutChange = async (call: () => Promise<GraphQLResult<unknown>>) => {
    const before = await footprint(plant.production.sql, PRODUCTION_TABLES);
    const result = await call();
    expect(await footprint(plant.production.sql, PRODUCTION_TABLES)).toEqual(before);
    return result;
  };
  const advance = (runId: string, extra: Record<string, unknown> = {}) =>
    plant.request("production", ADVANCE_PHASE, { input: { runId, ...extra } }, b.operator);
  const complete = (runId: string) => plant.request("production", COMPLETE_RUN, { input: { runId } }, b.operator);

  it("refuses advancePhase with GATE_BLOCKED until the run's latest decision at the gate is PASS", async () => {
    const { runId } = await runningWorkOrder(plant, b, {
      phases: [{ name: "Cook", gateId: blocking }, { name: "Pack" }],
    });
    const none = await refusedWithoutChange(() => advance(runId));
    expect(none.errors?.[0]?.extensions).toMatchObject({
      code: "GATE_BLOCKED",
      runId,
      phase: 1,
      gateId: blocking,
      lastResult: null,
    });
    await decide(blocking, runId, "FAIL", 60);
    const failed = await refusedWithoutChange(() => advance(runId));
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: "GATE_BLOCKED", lastResult: "FAIL" });
    expect((await run(runId)).currentPhase?.sequence).toBe(1);

    await decide(blocking, runId, "PASS");
    const advanced = await advance(runId);
    expect(advanced.errors).toBeUndefined();
    expect((await run(runId)).currentPhase?.sequence).toBe(2);
    const trail = await auditTrail(plant.production.sql, "ProductionRun", runId);
    expect(trail.map((e) => e.action)).toEqual(["run.started", "run.phaseAdvanced"]);
  });

  it("refuses completeRun at a blocking last phase without PASS; a later HOLD blocks again", async () => {
    const { runId } = await runningWorkOrder(plant, b, { phases: [{ name: "Bake", gateId: blocking }] });
    expect(code(await refusedWithoutChange(() => complete(runId)))).toBe("GATE_BLOCKED");
    await decide(blocking, runId, "PASS");
    await decide(blocking, runId, "HOLD");
    const held = await refusedWithoutChange(() => complete(runId));
    expect(held.errors?.[0]?.extensions).toMatchObject({ code: "GATE_BLOCKED", lastResult: "HOLD" });
    await decide(blocking, runId, "PASS");
    expect((await complete(runId)).errors).toBeUndefined();
    expect((await run(runId)).status).toBe("COMPLETED");
  });

  it("lets a run pass a non-blocking gate and a phase without gate", async () => {
    const { runId } = await runningWorkOrder(plant, b, {
      phases: [{ name: "Look", gateId: advisory }, { name: "End" }],
    });
    expect((await advance(runId)).errors).toBeUndefined();
    expect((await complete(runId)).errors).toBeUndefined();
  });

  it("fails closed when quality cannot answer: the run stays, and a phase without gate does not ask", async () => {
    const { runId } = await runningWorkOrder(plant, b, {
      phases: [{ name: "Mix" }, { name: "Cook", gateId: blocking }, { name: "Pack" }],
    });
    const key = unique("advance");
    await plant.withPeerAt("quality", "http://127.0.0.1:9/graphql", async () => {
      expect((await advance(runId, { idempotencyKey: key })).errors).toBeUndefined();
      expect((await run(runId)).currentPhase?.sequence).toBe(2);
    });
    await decide(blocking, runId, "PASS");
    await plant.withPeerAt("quality", "http://127.0.0.1:9/graphql", async () => {
      const unknown = await refusedWithoutChange(() => advance(runId));
      expect(unknown.errors).toHaveLength(1);
      expect(code(unknown)).not.toBe("GATE_BLOCKED");
      expect((await run(runId)).currentPhase?.sequence).toBe(2);
      // A retry of a call that already succeeded returns its result without asking quality.
      expect((await advance(runId, { idempotencyKey: key })).errors).toBeUndefined();
    });
    expect((await advance(runId)).errors).toBeUndefined();
    expect((await run(runId)).currentPhase?.sequence).toBe(3);
  });
});
