import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QualityUnderTest } from "./harness.ts";

const CREATE_GATE = `mutation ($input: CreateQcGateInput!) {
  createQcGate(input: $input) { gate { id name blocking criticalControlPoint characteristics { name lower upper unit } } }
}`;
const RECORD = `mutation ($input: RecordQcDecisionInput!) {
  recordQcDecision(input: $input) {
    decision { id result run { id } lot { id } measurements { characteristic value withinLimits } decidedByName hold { id } }
    affectedLots { id }
  }
}`;
const STATS = `query ($gateId: ID!, $characteristic: String!, $from: DateTime!, $to: DateTime!) {
  characteristicStatistics(gateId: $gateId, characteristic: $characteristic, from: $from, to: $to) {
    gate { id } characteristic count mean standardDeviation lower upper cp cpk
  }
}`;
const GATE_STATUS = `query ($runId: ID!, $gateId: ID!) { gateStatus(runId: $runId, gateId: $gateId) { gateId blocking passed lastResult } }`;
const RELEASE = `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } } }`;

interface Gate {
  id: string;
  name: string;
  characteristics: Array<{ name: string; lower: number; upper: number; unit: string }>;
}

describe("quality without its peers: gates, decisions on runs, statistics, access", () => {
  let q: QualityUnderTest;
  let manager: string;
  let operator: string;
  let viewer: string;
  let gate: Gate;

  beforeAll(async () => {
    q = await QualityUnderTest.start();
    manager = await q.token(["MANAGER"], "Mia Manager");
    operator = await q.token(["OPERATOR"], "Otto Operator");
    viewer = await q.token(["VIEWER"], "Vera Viewer");
    const created = await q.data<{ createQcGate: { gate: Gate } }>(
      CREATE_GATE,
      {
        input: {
          name: "Oven exit",
          blocking: true,
          criticalControlPoint: true,
          characteristics: [
            { name: "core temperature", lower: 70, upper: 80, unit: "°C" },
            { name: "weight", lower: 495.5, upper: 510, unit: "g" },
          ],
        },
      },
      manager,
    );
    gate = created.createQcGate.gate;
  });

  afterAll(async () => {
    await q?.stop();
  });

  const record = (input: Record<string, unknown>, token = operator) =>
    q.data<{
      recordQcDecision: {
        decision: { id: string; result: string; measurements: Array<{ withinLimits: boolean }> };
        affectedLots: unknown[];
      };
    }>(RECORD, { input: { gateId: gate.id, ...input } }, token);

  it("defines a gate with its checklist, in order, for MANAGER only", async () => {
    expect(gate.characteristics.map((c) => c.name)).toEqual(["core temperature", "weight"]);
    expect(gate.characteristics[1]).toEqual({ name: "weight", lower: 495.5, upper: 510, unit: "g" });
    const input = { name: "X", blocking: false, criticalControlPoint: false, characteristics: [] };
    expect((await q.error(CREATE_GATE, { input }, operator)).code).toBe("FORBIDDEN");
    expect((await q.error(CREATE_GATE, { input }, null)).code).toBe("UNAUTHENTICATED");
    const inverted = { ...input, characteristics: [{ name: "a", lower: 2, upper: 1, unit: "" }] };
    expect((await q.error(CREATE_GATE, { input: inverted }, manager)).code).toBe("BAD_USER_INPUT");
    const twice = {
      ...input,
      characteristics: [
        { name: "a", lower: 1, upper: 2, unit: "" },
        { name: "a", lower: 1, upper: 2, unit: "" },
      ],
    };
    expect((await q.error(CREATE_GATE, { input: twice }, manager)).code).toBe("BAD_USER_INPUT");
  });

  it("refuses a PASS with a value outside its limits, naming the characteristic, and records nothing", async () => {
    const runId = randomUUID();
    const refused = await q.error(
      RECORD,
      {
        input: {
          gateId: gate.id,
          runId,
          decision: "PASS",
          measurements: [
            { characteristic: "core temperature", value: 75 },
            { characteristic: "weight", value: 510.01 },
          ],
        },
      },
      operator,
    );
    expect(refused.code).toBe("BAD_USER_INPUT");
    expect(refused.extensions.characteristic).toBe("weight");
    expect(refused.message).toContain("weight");
    const unknown = await q.error(
      RECORD,
      { input: { gateId: gate.id, runId, decision: "FAIL", measurements: [{ characteristic: "colour", value: 1 }] } },
      operator,
    );
    expect(unknown).toMatchObject({ code: "BAD_USER_INPUT", extensions: { characteristic: "colour" } });
    expect((await q.error(RECORD, { input: { gateId: gate.id, decision: "PASS" } }, operator)).code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await q.error(RECORD, { input: { gateId: gate.id, runId, decision: "PASS" } }, viewer)).code).toBe(
      "FORBIDDEN",
    );
    const [row] = await q.app.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM qc_decision WHERE run_id = $1::uuid",
      [runId],
    );
    expect(row?.n).toBe(0);

    // The same out-of-limit value may be recorded as FAIL: that is what FAIL is for.
    const failed = await record({
      runId,
      decision: "FAIL",
      measurements: [{ characteristic: "weight", value: 510.01 }],
    });
    expect(failed.recordQcDecision.decision.measurements).toEqual([
      { characteristic: "weight", value: 510.01, withinLimits: false },
    ]);
  });

  it("tells production whether a run passed a gate (internal only), by the latest decision", async () => {
    const runId = randomUUID();
    const internal = await q.internalToken();
    const status = async () =>
      (await q.data<{ gateStatus: unknown }>(GATE_STATUS, { runId, gateId: gate.id }, internal)).gateStatus;
    expect(await status()).toEqual({ gateId: gate.id, blocking: true, passed: false, lastResult: null });
    await record({ runId, decision: "FAIL" });
    expect(await status()).toMatchObject({ passed: false, lastResult: "FAIL" });
    await record({ runId, decision: "PASS", measurements: [{ characteristic: "core temperature", value: 72 }] });
    expect(await status()).toMatchObject({ passed: true, lastResult: "PASS" });
    expect((await q.error(GATE_STATUS, { runId, gateId: gate.id }, manager)).code).toBe("FORBIDDEN");
    const unknownGate = randomUUID();
    expect(
      (await q.data<{ gateStatus: unknown }>(GATE_STATUS, { runId, gateId: unknownGate }, internal)).gateStatus,
    ).toEqual({ gateId: unknownGate, blocking: false, passed: false, lastResult: null });

    const gates = await q.data<{ _entities: Array<{ gates: Array<{ gate: { id: string }; passed: boolean }> }> }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ProductionRun { gates { gate { id } passed } } } }`,
      { r: [{ __typename: "ProductionRun", id: runId }] },
      viewer,
    );
    expect(gates._entities[0]?.gates).toEqual([{ gate: { id: gate.id }, passed: true }]);
  });

  it("computes count, mean, sample σ, Cp and Cpk over a window, as worked out by hand", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const stats = await q.data<{ createQcGate: { gate: Gate } }>(
      CREATE_GATE,
      {
        input: {
          name: "Capability",
          blocking: false,
          criticalControlPoint: false,
          characteristics: [
            { name: "t", lower: 70, upper: 80, unit: "°C" },
            { name: "other", lower: 0, upper: 1000, unit: "" },
          ],
        },
      },
      manager,
    );
    const statsGate = stats.createQcGate.gate.id;
    for (const value of [71, 73, 74, 78]) {
      await q.data(
        RECORD,
        {
          input: {
            gateId: statsGate,
            runId: randomUUID(),
            decision: "PASS",
            measurements: [
              { characteristic: "t", value },
              { characteristic: "other", value: value * 10 },
            ],
          },
        },
        operator,
      );
    }
    const to = new Date(Date.now() + 1000).toISOString();
    const result = await q.data<{ characteristicStatistics: Record<string, unknown> }>(
      STATS,
      { gateId: statsGate, characteristic: "t", from, to },
      viewer,
    );
    // n = 4; mean = (71 + 73 + 74 + 78) / 4 = 296 / 4 = 74
    // deviations −3, −1, 0, 4 → squares 9 + 1 + 0 + 16 = 26; σ = √(26 / 3) = √8.6667 = 2.943920288775949
    // Cp  = (USL − LSL) / 6σ = (80 − 70) / 17.663521732655695 = 0.566138517072298
    // Cpk = min(80 − 74, 74 − 70) / 3σ = 4 / 8.831760866327848 = 0.452910813657838
    const s = result.characteristicStatistics;
    expect(s).toMatchObject({ gate: { id: statsGate }, characteristic: "t", count: 4, mean: 74, lower: 70, upper: 80 });
    expect(s.standardDeviation).toBeCloseTo(2.943920288775949, 10);
    expect(s.cp).toBeCloseTo(0.566138517072298, 10);
    expect(s.cpk).toBeCloseTo(0.452910813657838, 10);

    const before = await q.data<{ characteristicStatistics: Record<string, unknown> }>(
      STATS,
      { gateId: statsGate, characteristic: "t", from: "2020-01-01T00:00:00Z", to: from },
      viewer,
    );
    expect(before.characteristicStatistics).toMatchObject({ count: 0, mean: null, standardDeviation: null, cp: null });
    const missing = await q.error(STATS, { gateId: statsGate, characteristic: "nope", from, to }, viewer);
    expect(missing.code).toBe("BAD_USER_INPUT");
  });

  it("is idempotent: the same key and input record one decision", async () => {
    const input = { runId: randomUUID(), decision: "FAIL", idempotencyKey: `k-${randomUUID()}` };
    const first = await record(input);
    const again = await record(input);
    expect(again.recordQcDecision.decision.id).toBe(first.recordQcDecision.decision.id);
    expect((await q.error(RECORD, { input: { ...input, gateId: gate.id, decision: "HOLD" } }, operator)).code).toBe(
      "CONFLICT",
    );
    const [audit] = await q.app.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1",
      [first.recordQcDecision.decision.id],
    );
    expect(audit?.n).toBe(1);
    const [event] = await q.app.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE subject = 'lotgraph.quality.decision.recorded' AND entity_id = $1",
      [first.recordQcDecision.decision.id],
    );
    expect(event?.n).toBe(1);
  });

  it("refuses a release to an OPERATOR and without a signature, before asking anyone", async () => {
    const holdId = randomUUID();
    const base = { holdId, reason: "checked" };
    expect(
      (await q.error(RELEASE, { input: { ...base, signature: { password: "x", meaning: "m" } } }, operator)).code,
    ).toBe("FORBIDDEN");
    expect((await q.error(RELEASE, { input: base }, manager)).code).toBe("SIGNATURE_REQUIRED");
    expect(
      (await q.error(RELEASE, { input: { ...base, signature: { password: "", meaning: "approved" } } }, manager)).code,
    ).toBe("SIGNATURE_REQUIRED");
  });
});
