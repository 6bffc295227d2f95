import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADVANCE_PHASE, COMPLETE_RUN, RECORD_OUTPUT } from "./documents.ts";
import { basics, runningWorkOrder, unique, type Basics } from "./fixtures.ts";
import { INVENTORY_TABLES, PRODUCTION_TABLES, Plant, footprint, type GraphQLResult } from "./harness.ts";

const CREATE_GATE = `mutation ($input: CreateQcGateInput!) { createQcGate(input: $input) { gate { id } } }`;
const RECORD = `mutation ($input: RecordQcDecisionInput!) {
  recordQcDecision(input: $input) {
    decision { id result run { id } lot { id } measurements { characteristic value withinLimits } hold { id } }
    affectedLots { id }
  }
}`;
const STATS = `query ($gateId: ID!, $characteristic: String!, $from: DateTime!, $to: DateTime!) {
  characteristicStatistics(gateId: $gateId, characteristic: $characteristic, from: $from, to: $to) {
    gate { id } characteristic count mean standardDeviation lower upper cp cpk
  }
}`;
const GATE_STATUS = `query ($runId: ID!, $gateId: ID!) { gateStatus(runId: $runId, gateId: $gateId) { gateId blocking passed lastResult } }`;
const CANCEL_RUN = `mutation ($input: CancelRunInput!) { cancelRun(input: $input) { run { id status } } }`;
const LOT_STATUS = `query ($id: ID) { lot(id: $id) { id status awaitingRelease { kind gate { id } } } }`;
const QUALITY_TABLES = ["qc_decision", "qc_measurement", "hold", "audit_log", "outbox", "idempotency_key"] as const;

type Decision = {
  id: string;
  result: string;
  measurements: Array<{ withinLimits: boolean }>;
  hold: { id: string } | null;
};

/**
 * Quality's decision rules against REAL production and inventory subgraphs (quality asks
 * production about the run, inventory applies what the decision does to stock): a PASS needs
 * every characteristic within limits, decisions come when the run reaches the gate, a second
 * person passes a gate with segregation of duties, and no path lets a run's output past a
 * blocking gate without a PASS.
 */
describe("quality decisions on runs, with production and inventory", () => {
  let plant: Plant;
  let b: Basics;
  let oven: string;
  let detector: string;

  beforeAll(async () => {
    plant = await Plant.start();
    b = await basics(plant);
    const gate = async (name: string, extra: Record<string, unknown> = {}) =>
      (
        await plant.data<{ createQcGate: { gate: { id: string } } }>(
          "quality",
          CREATE_GATE,
          {
            input: {
              name: unique(name),
              blocking: true,
              criticalControlPoint: true,
              characteristics: [
                { name: "core temperature", lower: 70, upper: 80, unit: "°C" },
                { name: "weight", lower: 495.5, upper: 510, unit: "g" },
              ],
              ...extra,
            },
          },
          b.manager,
        )
      ).createQcGate.gate.id;
    oven = await gate("Oven exit");
    detector = await gate("Metal detector", {
      segregationOfDuties: true,
      characteristics: [{ name: "test piece Fe 2.0", lower: 1, upper: 1, unit: "detected" }],
    });
  });
  afterAll(async () => {
    await plant?.stop();
  });

  const code = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;
  const good = [
    { characteristic: "core temperature", value: 75 },
    { characteristic: "weight", value: 500 },
  ];
  const record = (input: Record<string, unknown>, token = b.operator) =>
    plant.request<{ recordQcDecision: { decision: Decision; affectedLots: Array<{ id: string }> } }>(
      "quality",
      RECORD,
      { input },
      token,
    );
  const decided = async (input: Record<string, unknown>, token = b.operator) => {
    const result = await record(input, token);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.recordQcDecision;
  };
  const output = async (runId: string, token = b.operator) =>
    (
      await plant.data<{ recordOutput: { output: { lot: { id: string } } } }>(
        "production",
        RECORD_OUTPUT,
        { input: { runId, quantity: "5", code: unique("OUT"), locationId: b.siteId } },
        token,
      )
    ).recordOutput.output.lot.id;
  const lot = async (id: string) =>
    (
      await plant.data<{
        lot: { status: string; awaitingRelease: Array<{ kind: string; gate: { id: string } | null }> };
      }>("inventory", LOT_STATUS, { id }, b.viewer)
    ).lot;
  const everything = async () => ({
    production: await footprint(plant.production.sql, PRODUCTION_TABLES),
    inventory: await footprint(plant.inventory.sql, INVENTORY_TABLES),
    quality: await footprint(plant.quality.sql, QUALITY_TABLES),
  });
  const refusedWithoutChange = async (call: () => Promise<GraphQLResult<unknown>>) => {
    const before = await everything();
    const result = await call();
    expect(result.errors?.length, JSON.stringify(result.data)).toBe(1);
    expect(await everything()).toEqual(before);
    return result;
  };

  it("refuses a PASS missing a characteristic or outside a limit, and records nothing", async () => {
    const { runId } = await runningWorkOrder(plant, b, { phases: [{ name: "Bake", gateId: oven }] });
    const missing = await refusedWithoutChange(() =>
      record({ gateId: oven, runId, decision: "PASS", measurements: [good[0]] }),
    );
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", missing: ["weight"] } });
    const none = await refusedWithoutChange(() => record({ gateId: oven, runId, decision: "PASS" }));
    expect(none.errors?.[0]?.extensions?.missing).toEqual(["core temperature", "weight"]);
    const outside = await refusedWithoutChange(() =>
      record({
        gateId: oven,
        runId,
        decision: "PASS",
        measurements: [good[0], { characteristic: "weight", value: 510.01 }],
      }),
    );
    expect(outside.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", characteristic: "weight" } });
    const unknown = await refusedWithoutChange(() =>
      record({ gateId: oven, runId, decision: "FAIL", measurements: [{ characteristic: "colour", value: 1 }] }),
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", characteristic: "colour" });
    expect(code(await refusedWithoutChange(() => record({ gateId: oven, decision: "PASS" })))).toBe("BAD_USER_INPUT");
    expect(
      code(
        await refusedWithoutChange(() =>
          record({ gateId: oven, runId, decision: "PASS", measurements: good }, b.viewer),
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(
      code(await refusedWithoutChange(() => record({ gateId: oven, runId: randomUUID(), decision: "FAIL" }))),
    ).toBe("NOT_FOUND");

    // The same out-of-limit value may be recorded as FAIL: that is what FAIL is for.
    const failed = await decided({
      gateId: oven,
      runId,
      decision: "FAIL",
      measurements: [{ characteristic: "weight", value: 510.01 }],
    });
    expect(failed.decision.measurements).toEqual([{ characteristic: "weight", value: 510.01, withinLimits: false }]);
  });

  it("tells production whether a run passed a gate (internal only), by the latest decision", async () => {
    const { runId } = await runningWorkOrder(plant, b, { phases: [{ name: "Bake", gateId: oven }] });
    const internal = await plant.tokens.internalToken("production");
    const status = async () =>
      (await plant.data<{ gateStatus: unknown }>("quality", GATE_STATUS, { runId, gateId: oven }, internal)).gateStatus;
    expect(await status()).toEqual({ gateId: oven, blocking: true, passed: false, lastResult: null });
    await decided({ gateId: oven, runId, decision: "FAIL" });
    expect(await status()).toMatchObject({ passed: false, lastResult: "FAIL" });
    await decided({ gateId: oven, runId, decision: "PASS", measurements: good });
    expect(await status()).toMatchObject({ passed: true, lastResult: "PASS" });
    expect(code(await plant.request("quality", GATE_STATUS, { runId, gateId: oven }, b.manager))).toBe("FORBIDDEN");
  });

  it("is idempotent: the same key and input record one decision", async () => {
    const { runId } = await runningWorkOrder(plant, b, { phases: [{ name: "Bake", gateId: oven }] });
    const input = { gateId: oven, runId, decision: "FAIL", idempotencyKey: unique("k") };
    const first = await decided(input);
    const again = await decided(input);
    expect(again.decision.id).toBe(first.decision.id);
    expect(code(await record({ ...input, decision: "HOLD" }))).toBe("CONFLICT");
    const [audit] = await plant.quality.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1",
      [first.decision.id],
    );
    expect(audit?.n).toBe(1);
  });

  it("computes count, mean, sample σ, Cp and Cpk over a window, as worked out by hand", async () => {
    const capability = (
      await plant.data<{ createQcGate: { gate: { id: string } } }>(
        "quality",
        CREATE_GATE,
        {
          input: {
            name: unique("Capability"),
            blocking: false,
            criticalControlPoint: false,
            characteristics: [
              { name: "core temperature", lower: 70, upper: 80, unit: "°C" },
              { name: "weight", lower: 495.5, upper: 510, unit: "g" },
            ],
          },
        },
        b.manager,
      )
    ).createQcGate.gate.id;
    const from = new Date(Date.now() - 1000).toISOString();
    for (const value of [71, 73, 74, 78]) {
      const { runId } = await runningWorkOrder(plant, b, { phases: [{ name: "Bake", gateId: capability }] });
      await decided({
        gateId: capability,
        runId,
        decision: "PASS",
        measurements: [
          { characteristic: "core temperature", value },
          { characteristic: "weight", value: 500 },
        ],
      });
    }
    const to = new Date(Date.now() + 1000).toISOString();
    const s = (
      await plant.data<{ characteristicStatistics: Record<string, number> }>(
        "quality",
        STATS,
        { gateId: capability, characteristic: "core temperature", from, to },
        b.viewer,
      )
    ).characteristicStatistics;
    // n = 4; mean = 296 / 4 = 74; squares 9 + 1 + 0 + 16 = 26; σ = √(26 / 3) = 2.943920288775949
    // Cp = 10 / 6σ = 0.566138517072298; Cpk = min(6, 4) / 3σ = 0.452910813657838
    expect(s).toMatchObject({ count: 4, mean: 74, lower: 70, upper: 80 });
    expect(s.standardDeviation).toBeCloseTo(2.943920288775949, 10);
    expect(s.cp).toBeCloseTo(0.566138517072298, 10);
    expect(s.cpk).toBeCloseTo(0.452910813657838, 10);
  });

  it("refuses a decision at the gate of a phase the run has not reached", async () => {
    const { runId } = await runningWorkOrder(plant, b, {
      phases: [{ name: "Mix" }, { name: "Pack", gateId: oven }],
    });
    const early = await refusedWithoutChange(() =>
      record({ gateId: oven, runId, decision: "PASS", measurements: good }),
    );
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", phase: 2, reachedPhase: 1 });
    await plant.data("production", ADVANCE_PHASE, { input: { runId } }, b.operator);
    await decided({ gateId: oven, runId, decision: "PASS", measurements: good });
  });

  it("completes a run only when every remaining phase's blocking gate has a PASS", async () => {
    const { runId } = await runningWorkOrder(plant, b, {
      phases: [{ name: "Mix" }, { name: "Bake", gateId: oven }, { name: "Pack" }],
    });
    const fromFirst = await refusedWithoutChange(() =>
      plant.request("production", COMPLETE_RUN, { input: { runId } }, b.operator),
    );
    expect(fromFirst.errors?.[0]?.extensions).toMatchObject({ code: "GATE_BLOCKED", phase: 2, gateId: oven });
    await plant.data("production", ADVANCE_PHASE, { input: { runId } }, b.operator);
    await decided({ gateId: oven, runId, decision: "PASS", measurements: good });
    const done = await plant.data<{ completeRun: { run: { status: string } } }>(
      "production",
      COMPLETE_RUN,
      { input: { runId } },
      b.operator,
    );
    expect(done.completeRun.run.status).toBe("COMPLETED");
  });

  it("keeps a run's output QUARANTINE until its blocking gates pass; a cancelled run passes none", async () => {
    const { runId } = await runningWorkOrder(plant, b, {
      phases: [{ name: "Mix" }, { name: "Bake", gateId: oven }],
    });
    const early = await output(runId);
    expect(await lot(early)).toMatchObject({
      status: "QUARANTINE",
      awaitingRelease: [{ kind: "GATE", gate: { id: oven } }],
    });
    await plant.data("production", ADVANCE_PHASE, { input: { runId } }, b.operator);
    await decided({ gateId: oven, runId, decision: "PASS", measurements: good });
    expect((await lot(early)).status).toBe("AVAILABLE");
    expect((await lot(await output(runId))).status).toBe("AVAILABLE");

    const cancelled = await runningWorkOrder(plant, b, { phases: [{ name: "Bake", gateId: oven }] });
    const stranded = await output(cancelled.runId);
    expect(
      code(
        await plant.request(
          "production",
          CANCEL_RUN,
          { input: { runId: cancelled.runId, reason: "oven broke down" } },
          b.operator,
        ),
      ),
    ).toBe("FORBIDDEN");
    await plant.data(
      "production",
      CANCEL_RUN,
      { input: { runId: cancelled.runId, reason: "oven broke down" } },
      b.manager,
    );
    expect((await lot(stranded)).status).toBe("QUARANTINE");
    const after = await plant.request(
      "production",
      RECORD_OUTPUT,
      { input: { runId: cancelled.runId, quantity: "1", code: unique("OUT"), locationId: b.siteId } },
      b.operator,
    );
    expect(code(after)).toBe("CONFLICT");
  });

  it("holds every output of a run on HOLD or FAIL, those recorded later too", async () => {
    const advisory = b.advisoryGateId;
    const { runId } = await runningWorkOrder(plant, b, { phases: [{ name: "Bake" }] });
    const first = await output(runId);
    const held = await decided({ gateId: advisory, runId, decision: "HOLD", notes: "crust too dark" });
    expect(held.affectedLots).toEqual([{ id: first }]);
    expect(held.decision.hold).toEqual({ id: expect.any(String) });
    const later = await output(runId);
    expect((await lot(first)).status).toBe("ON_HOLD");
    expect((await lot(later)).status).toBe("ON_HOLD");
    type HoldView = { active: boolean; cause: { id: string } | null; decision: { id: string } | null };
    const holds = await plant.data<{ _entities: Array<{ holds: HoldView[] }> }>(
      "quality",
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { holds { active cause { id } decision { id } } } } }`,
      { r: [{ __typename: "Lot", id: later }] },
      b.viewer,
    );
    expect(holds._entities[0]?.holds).toEqual([
      { active: true, cause: { id: held.decision.hold!.id }, decision: { id: held.decision.id } },
    ]);
  });

  it("needs a second person to PASS a gate with segregation of duties", async () => {
    const { runId } = await runningWorkOrder(plant, b, { phases: [{ name: "Pack", gateId: detector }] });
    const made = await output(runId);
    const pass = {
      gateId: detector,
      runId,
      decision: "PASS",
      measurements: [{ characteristic: "test piece Fe 2.0", value: 1 }],
    };
    const own = await refusedWithoutChange(() => record(pass));
    expect(own.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", segregationOfDuties: true });
    const ownLot = await refusedWithoutChange(() => record({ ...pass, runId: undefined, lotId: made }));
    expect(code(ownLot)).toBe("FORBIDDEN");
    const checker = await plant.token(["OPERATOR"], "Cleo Checker");
    await decided(pass, checker);
    expect((await lot(made)).status).toBe("AVAILABLE");
  });
});
