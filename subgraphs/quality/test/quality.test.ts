import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QualityUnderTest } from "./harness.ts";

const CREATE_GATE = `mutation ($input: CreateQcGateInput!) {
  createQcGate(input: $input) { gate { id name blocking criticalControlPoint characteristics { name lower upper unit } } }
}`;
const RELEASE = `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } } }`;
const RELEASE_SUPPLIER_HOLD = `mutation ($input: ReleaseSupplierHoldInput!) { releaseSupplierHold(input: $input) { supplierHold { id } } }`;
const SET_DISPOSITION = `mutation ($input: SetDispositionInput!) { setDisposition(input: $input) { nonConformance { id } } }`;
const CLOSE_NCR = `mutation ($input: CloseNonConformanceInput!) { closeNonConformance(input: $input) { nonConformance { id } } }`;
const PLACE_HOLD = `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`;
const PLACE_SUPPLIER_HOLD = `mutation ($input: PlaceSupplierHoldInput!) { placeSupplierHold(input: $input) { supplierHold { id } } }`;
const PLACE_LINE_HOLD = `mutation ($input: PlaceLineHoldInput!) { placeLineHold(input: $input) { holds { id } } }`;
const RECORD_AUTOMATIC = `mutation ($input: RecordAutomaticHoldsInput!) { recordAutomaticHolds(input: $input) { holds { id } } }`;
const CONTAIN_RECALL = `mutation ($input: PlaceRecallContainmentInput!) { placeRecallContainment(input: $input) { holdIds } }`;

interface Gate {
  id: string;
  name: string;
  characteristics: Array<{ name: string; lower: number; upper: number; unit: string }>;
}

/**
 * What quality decides before asking any peer: who may define gates and place or release holds,
 * and that a signature is given at all. Decisions on runs and lots, holds and signatures against
 * real peers: subgraphs/production/test/quality-decisions.test.ts and tests/e2e.
 */
describe("quality without its peers: gates, access, signatures given", () => {
  let q: QualityUnderTest;
  let manager: string;
  let operator: string;
  let gate: Gate;

  beforeAll(async () => {
    q = await QualityUnderTest.start();
    manager = await q.token(["MANAGER"], "Mia Manager");
    operator = await q.token(["OPERATOR"], "Otto Operator");
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

  it("asks for a signature on every signed mutation, and for MANAGER on every hold", async () => {
    const signed = [
      [RELEASE_SUPPLIER_HOLD, { supplierHoldId: randomUUID(), reason: "cleared" }],
      [SET_DISPOSITION, { nonConformanceId: randomUUID(), disposition: "USE_AS_IS" }],
      [CLOSE_NCR, { nonConformanceId: randomUUID() }],
    ] as const;
    for (const [mutation, input] of signed) {
      expect((await q.error(mutation, { input }, manager)).code, mutation).toBe("SIGNATURE_REQUIRED");
      const noMeaning = { ...input, signature: { password: "secret-password", meaning: " " } };
      expect((await q.error(mutation, { input: noMeaning }, manager)).code, mutation).toBe("SIGNATURE_REQUIRED");
      const signedByOperator = { ...input, signature: { password: "secret-password", meaning: "approved" } };
      expect((await q.error(mutation, { input: signedByOperator }, operator)).code, mutation).toBe("FORBIDDEN");
    }
    const service = await q.tokens.sign(
      { id: randomUUID(), name: "ERP", kind: "service-account", roles: ["MANAGER"] },
      3600,
    );
    const bySystem = { holdId: randomUUID(), reason: "x", signature: { password: "p", meaning: "m" } };
    expect((await q.error(RELEASE, { input: bySystem }, service)).code).toBe("SIGNATURE_REQUIRED");
    const holds = [
      [PLACE_HOLD, { lotId: randomUUID(), reason: "suspect" }],
      [PLACE_SUPPLIER_HOLD, { supplierId: randomUUID(), supplierLotCode: "SL-1", reason: "recall" }],
      [PLACE_LINE_HOLD, { lineId: randomUUID(), gateId: gate.id, reason: "detector failed" }],
    ] as const;
    for (const [mutation, input] of holds) {
      expect((await q.error(mutation, { input }, operator)).code, mutation).toBe("FORBIDDEN");
      expect((await q.error(mutation, { input }, null)).code, mutation).toBe("UNAUTHENTICATED");
    }
    const internalOnly = { lotId: randomUUID(), holds: [{ holdId: randomUUID(), reason: "inherited" }] };
    expect((await q.error(RECORD_AUTOMATIC, { input: internalOnly }, manager)).code).toBe("FORBIDDEN");
    const recall = {
      recallCaseId: randomUUID(),
      caseNumber: "RC-2026-0001",
      lotId: randomUUID(),
      reason: "supplier recall",
      openedBy: { id: randomUUID(), name: "Mia Manager" },
    };
    expect((await q.error(CONTAIN_RECALL, { input: recall }, manager)).code).toBe("FORBIDDEN");
    // Checked before any peer is asked: a lot and a supplier lot code at once, or neither.
    const peer = await q.internalToken();
    const both = { ...recall, supplierLotCode: "SL-1", supplierIds: [randomUUID()] };
    expect((await q.error(CONTAIN_RECALL, { input: both }, peer)).code).toBe("BAD_USER_INPUT");
    expect((await q.error(CONTAIN_RECALL, { input: { ...recall, lotId: null } }, peer)).code).toBe("BAD_USER_INPUT");
  });
});
