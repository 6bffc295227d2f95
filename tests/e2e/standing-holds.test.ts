import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefusedWithoutChange } from "../support/footprint.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

const MANAGER_PASSWORD = "manager-password-standing";
const SIGNED = { password: MANAGER_PASSWORD, meaning: "approved" };

const CONSUME = `mutation ($input: ConsumeLotInput!) { consumeLot(input: $input) { consumption { id } } }`;
const OUTPUT = `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`;
const SHIP = `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id lines { serials { serialNumber } } } } }`;
const RECEIVE = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id status } } }`;
const DECIDE = `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id hold { id } } } }`;
const PLACE_SUPPLIER = `mutation ($input: PlaceSupplierHoldInput!) {
  placeSupplierHold(input: $input) {
    supplierHold { id supplierLotCode active supplier { id } placedByName }
    affectedLots { id }
    holds { id lot { id } supplierHold { id } }
  }
}`;
const RELEASE_SUPPLIER = `mutation ($input: ReleaseSupplierHoldInput!) {
  releaseSupplierHold(input: $input) { supplierHold { id active releasedByName signature { signerName meaning } holds { active } } }
}`;
const PLACE_LINE = `mutation ($input: PlaceLineHoldInput!) {
  placeLineHold(input: $input) { holds { id lot { id } cause { id } } affectedLots { id } since }
}`;
const RELEASE = `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { released { id } } }`;
const DISPOSITION = `mutation ($input: SetDispositionInput!) {
  setDisposition(input: $input) { nonConformance { disposition dispositionSignature { signerName meaning signedAt } } }
}`;
const CLOSE_NCR = `mutation ($input: CloseNonConformanceInput!) {
  closeNonConformance(input: $input) { nonConformance { status closeSignature { signerName meaning } } }
}`;
const LOT = `query ($id: ID) {
  lot(id: $id) { id status qualityStatus awaitingRelease { kind } serials { serialNumber status } holds { active supplierHold { id } } }
}`;

interface LotView {
  id: string;
  status: string;
  qualityStatus: string;
  awaitingRelease: Array<{ kind: string }>;
  serials: Array<{ serialNumber: string; status: string }>;
  holds: Array<{ active: boolean; supplierHold: Id | null }>;
}

/**
 * Issue 13, through the gateway: holds that stand over what arrives later (a supplier lot code),
 * line holds after a failed critical control point, incoming inspection, dispositions and
 * closures signed (with a lockout after repeated wrong passwords), expired receipts refused, and
 * serial-tracked shipments that ship exactly the units named.
 */
describe(`standing holds, inspection and signatures (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let manager: TestClient;
  let operator: TestClient;
  let checker: TestClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const user = async (email: string, name: string, roles: string[], password: string) => {
      await create(admin, "createUser", { email, name, roles, password }, "user");
      return anonymous.as(await anonymous.login(email, password));
    };
    manager = await user("qm@standing.test", "Quinn Manager", ["MANAGER"], MANAGER_PASSWORD);
    operator = await user("op@standing.test", "Oli Operator", ["OPERATOR"], "operator-password-standing");
    checker = await user("qc@standing.test", "Cleo Checker", ["OPERATOR"], "checker-password-standing");
    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.mill = await create(admin, "createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.shop = await create(admin, "createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    const material = (sku: string, kind: string, extra: Record<string, unknown> = {}) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT", ...extra }, "material");
    ids.flour = await material("FLOUR", "RAW");
    ids.cocoa = await material("COCOA", "RAW", { inspectionRequired: true });
    ids.dough = await material("DOUGH", "INTERMEDIATE");
    ids.mixer = await create(
      admin,
      "createMaterial",
      { sku: "MIXER", name: "Mixer", uom: "ea", kind: "FINISHED", tracking: "SERIAL" },
      "material",
    );
    ids.line = await create(manager, "createLine", { code: "L1", name: "Line 1" }, "line");
    ids.detector = await create(
      manager,
      "createQcGate",
      {
        name: "Metal detector",
        blocking: false,
        criticalControlPoint: true,
        characteristics: [{ name: "Fe 2.0 mm", lower: 1, upper: 1, unit: "detected" }],
      },
      "gate",
    );
    ids.inspection = await create(
      manager,
      "createQcGate",
      {
        name: "Incoming cocoa",
        blocking: true,
        criticalControlPoint: false,
        characteristics: [{ name: "moisture", lower: 0, upper: 8, unit: "%" }],
      },
      "gate",
    );
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const receive = async (code: string, extra: Record<string, unknown> = {}) =>
    (
      await operator.expectData<{ receiveLot: { lot: { id: string; status: string } } }>(RECEIVE, {
        input: { code, materialId: ids.flour, quantity: "50", locationId: ids.site, ...extra },
      })
    ).receiveLot.lot;
  const run = async (consume: string[], outputs: string[]) => {
    const workOrderId = await create(
      manager,
      "createWorkOrder",
      { productId: ids.dough, plannedQuantity: "10", phases: [{ name: "Mix" }], lineId: ids.line },
      "workOrder",
    );
    await create(manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create(operator, "startRun", { workOrderId }, "run");
    for (const lotId of consume) await operator.expectData(CONSUME, { input: { runId, lotId, quantity: "2" } });
    const lots: string[] = [];
    for (const code of outputs) {
      const made = await operator.expectData<{ recordOutput: { output: { lot: Id } } }>(OUTPUT, {
        input: { runId, code, quantity: "5", locationId: ids.site },
      });
      lots.push(made.recordOutput.output.lot.id);
    }
    return { runId, lots };
  };
  const lot = async (id: string) => (await admin.expectData<{ lot: LotView }>(LOT, { id })).lot;
  const refused = (client: TestClient, query: string, input: Record<string, unknown>) =>
    expectRefusedWithoutChange(lotgraph.databases, () => client.expectErrorCode(query, { input }));

  it("holds a supplier lot code: what was received, what was made from it, and every later receipt", async () => {
    const fromMill = { supplierId: ids.mill, supplierLotCode: "SL-4471" };
    const first = await receive("F-4471-A", fromMill);
    const second = await receive("F-4471-B", fromMill);
    const clean = await receive("F-9000", { supplierId: ids.mill, supplierLotCode: "SL-9000" });
    const { lots } = await run([first.id], ["D-4471"]);
    const dough = lots[0]!;
    const input = { ...fromMill, reason: "supplier reports salmonella" };
    expect(await refused(operator, PLACE_SUPPLIER, input)).toBe("FORBIDDEN");
    expect(await refused(manager, PLACE_SUPPLIER, { ...input, supplierId: ids.shop })).toBe("BAD_USER_INPUT");

    const placed = await manager.expectData<{
      placeSupplierHold: {
        supplierHold: { id: string; supplierLotCode: string; active: boolean; supplier: Id; placedByName: string };
        affectedLots: Id[];
        holds: Array<{ lot: Id; supplierHold: Id }>;
      };
    }>(PLACE_SUPPLIER, { input });
    const supplierHold = placed.placeSupplierHold.supplierHold;
    expect(supplierHold).toMatchObject({
      supplierLotCode: "SL-4471",
      active: true,
      supplier: { id: ids.mill },
      placedByName: "Quinn Manager",
    });
    expect(placed.placeSupplierHold.affectedLots.map((l) => l.id)).toEqual([first.id, second.id, dough]);
    expect(placed.placeSupplierHold.holds.every((h) => h.supplierHold.id === supplierHold.id)).toBe(true);
    for (const id of [first.id, second.id, dough])
      expect(await lot(id)).toMatchObject({ status: "ON_HOLD", qualityStatus: "ON_HOLD" });
    expect((await lot(clean.id)).status).toBe("AVAILABLE");
    expect(await refused(manager, PLACE_SUPPLIER, input)).toBe("CONFLICT");

    // The next truck of the same supplier lot arrives held.
    const later = await receive("F-4471-C", fromMill);
    expect(later.status).toBe("ON_HOLD");
    expect((await lot(later.id)).qualityStatus).toBe("ON_HOLD");
    await eventually(async () =>
      expect((await lot(later.id)).holds).toEqual([{ active: true, supplierHold: { id: supplierHold.id } }]),
    );

    const release = { supplierHoldId: supplierHold.id, reason: "supplier cleared the lot" };
    expect(await refused(manager, RELEASE_SUPPLIER, release)).toBe("SIGNATURE_REQUIRED");
    expect(await refused(operator, RELEASE_SUPPLIER, { ...release, signature: SIGNED })).toBe("FORBIDDEN");
    const releasedHold = await manager.expectData<{
      releaseSupplierHold: {
        supplierHold: {
          active: boolean;
          releasedByName: string;
          signature: { signerName: string; meaning: string };
          holds: Array<{ active: boolean }>;
        };
      };
    }>(RELEASE_SUPPLIER, { input: { ...release, signature: SIGNED } });
    expect(releasedHold.releaseSupplierHold.supplierHold).toMatchObject({
      active: false,
      releasedByName: "Quinn Manager",
      signature: { signerName: "Quinn Manager", meaning: "approved" },
    });
    expect(releasedHold.releaseSupplierHold.supplierHold.holds).toHaveLength(4);
    expect(releasedHold.releaseSupplierHold.supplierHold.holds.every((h) => !h.active)).toBe(true);
    for (const id of [first.id, second.id, dough, later.id]) expect((await lot(id)).status).toBe("AVAILABLE");
    expect((await receive("F-4471-D", fromMill)).status).toBe("AVAILABLE");
    expect(await refused(manager, RELEASE_SUPPLIER, { ...release, signature: SIGNED })).toBe("CONFLICT");
  });

  it("holds everything a line made since the failed gate's last PASS there, and what was made from it", async () => {
    const raw = await receive("F-LINE");
    const before = await run([raw.id], ["D-0900"]);
    await checker.expectData(DECIDE, {
      input: {
        gateId: ids.detector,
        runId: before.runId,
        decision: "PASS",
        measurements: [{ characteristic: "Fe 2.0 mm", value: 1 }],
      },
    });
    const after = await run([raw.id], ["D-1100", "D-1300"]);
    const downstream = await run([after.lots[0]!], ["D-1400"]);
    expect(await refused(operator, PLACE_LINE, { lineId: ids.line, gateId: ids.detector, reason: "x" })).toBe(
      "FORBIDDEN",
    );
    const held = await manager.expectData<{
      placeLineHold: { holds: Array<{ id: string; lot: Id; cause: Id | null }>; affectedLots: Id[]; since: string };
    }>(PLACE_LINE, {
      input: { lineId: ids.line, gateId: ids.detector, reason: "detector missed the 2.0 mm test piece at 14:10" },
    });
    const affected = held.placeLineHold.affectedLots.map((l) => l.id);
    // The outputs since the last good check, then the dough made from one of them (on the same line).
    expect(affected.slice(0, 3)).toEqual([...after.lots, downstream.lots[0]]);
    expect(affected).not.toContain(before.lots[0]);
    expect(new Date(held.placeLineHold.since).getTime()).toBeGreaterThan(0);
    const [root, ...rest] = held.placeLineHold.holds;
    expect(root).toMatchObject({ lot: { id: after.lots[0] }, cause: null });
    expect(rest.every((h) => h.cause?.id === root!.id)).toBe(true);
    for (const id of affected) expect((await lot(id)).status).toBe("ON_HOLD");
    expect((await lot(before.lots[0]!)).status).toBe("AVAILABLE");

    await manager.expectData(RELEASE, {
      input: { holdId: root!.id, reason: "re-run through a good detector", signature: SIGNED },
    });
    for (const id of affected) expect((await lot(id)).status).toBe("AVAILABLE");

    // A good check on a lot the line made counts too: only what the line made after it is held.
    await checker.expectData(DECIDE, {
      input: {
        gateId: ids.detector,
        lotId: after.lots[1],
        decision: "PASS",
        measurements: [{ characteristic: "Fe 2.0 mm", value: 1 }],
      },
    });
    const later = await run([], ["D-1600"]);
    const again = await manager.expectData<{ placeLineHold: { affectedLots: Id[] } }>(PLACE_LINE, {
      input: { lineId: ids.line, gateId: ids.detector, reason: "detector failed again" },
    });
    expect(again.placeLineHold.affectedLots.map((l) => l.id)).toEqual(later.lots);
  });

  it("receives material that needs inspection QUARANTINE; a FAIL rejects it until a signed USE_AS_IS", async () => {
    const cocoa = await receive("C-1", { materialId: ids.cocoa });
    expect(await lot(cocoa.id)).toMatchObject({
      status: "QUARANTINE",
      qualityStatus: "PENDING",
      awaitingRelease: [{ kind: "INSPECTION" }],
    });
    const { runId } = await run([], []);
    expect(await refused(operator, CONSUME, { runId, lotId: cocoa.id, quantity: "1" })).toBe("LOT_UNAVAILABLE");
    const ship = { customerId: ids.shop, reference: "SO-C1", lines: [{ lotId: cocoa.id, quantity: "1" }] };
    expect(await refused(operator, SHIP, ship)).toBe("LOT_UNAVAILABLE");
    await checker.expectData(DECIDE, {
      input: {
        gateId: ids.inspection,
        lotId: cocoa.id,
        decision: "PASS",
        measurements: [{ characteristic: "moisture", value: 6.5 }],
      },
    });
    expect(await lot(cocoa.id)).toMatchObject({ status: "AVAILABLE", qualityStatus: "PASSED", awaitingRelease: [] });

    const wet = await receive("C-2", { materialId: ids.cocoa });
    const failed = await checker.expectData<{ recordQcDecision: { decision: { id: string; hold: Id } } }>(DECIDE, {
      input: {
        gateId: ids.inspection,
        lotId: wet.id,
        decision: "FAIL",
        measurements: [{ characteristic: "moisture", value: 11 }],
      },
    });
    await manager.expectData(RELEASE, {
      input: {
        holdId: failed.recordQcDecision.decision.hold.id,
        reason: "moved to the reject cage",
        signature: SIGNED,
      },
    });
    expect(await lot(wet.id)).toMatchObject({ status: "QUARANTINE", qualityStatus: "REJECTED" });
    expect(await refused(operator, CONSUME, { runId, lotId: wet.id, quantity: "1" })).toBe("LOT_UNAVAILABLE");

    const ncr = await create(
      checker,
      "openNonConformance",
      { decisionId: failed.recordQcDecision.decision.id, description: "moisture 11 %", owner: "Quinn Manager" },
      "nonConformance",
    );
    const useAsIs = { nonConformanceId: ncr, disposition: "USE_AS_IS", correctiveAction: "dry before use" };
    expect(await refused(manager, DISPOSITION, useAsIs)).toBe("SIGNATURE_REQUIRED");
    expect(await refused(operator, DISPOSITION, { ...useAsIs, signature: SIGNED })).toBe("FORBIDDEN");
    const dispositioned = await manager.expectData<{
      setDisposition: {
        nonConformance: { disposition: string; dispositionSignature: { signerName: string; meaning: string } };
      };
    }>(DISPOSITION, {
      input: { ...useAsIs, signature: { password: MANAGER_PASSWORD, meaning: "use as is after drying" } },
    });
    expect(dispositioned.setDisposition.nonConformance).toMatchObject({
      disposition: "USE_AS_IS",
      dispositionSignature: { signerName: "Quinn Manager", meaning: "use as is after drying" },
    });
    expect((await lot(wet.id)).status).toBe("AVAILABLE");
    await operator.expectData(CONSUME, { input: { runId, lotId: wet.id, quantity: "1" } });
    expect(await refused(manager, CLOSE_NCR, { nonConformanceId: ncr })).toBe("SIGNATURE_REQUIRED");
    const closed = await manager.expectData<{
      closeNonConformance: { nonConformance: { status: string; closeSignature: { signerName: string } } };
    }>(CLOSE_NCR, { input: { nonConformanceId: ncr, signature: { password: MANAGER_PASSWORD, meaning: "closed" } } });
    expect(closed.closeNonConformance.nonConformance).toMatchObject({
      status: "CLOSED",
      closeSignature: { signerName: "Quinn Manager" },
    });
  });

  it("locks a signer out after five wrong passwords in 15 minutes, and audits it", async () => {
    const signer = await create(
      admin,
      "createUser",
      { email: "lee@standing.test", name: "Lee Signer", roles: ["MANAGER"], password: "lee-password-standing" },
      "user",
    );
    const lee = new TestClient(lotgraph.gatewayUrl).as(
      await new TestClient(lotgraph.gatewayUrl).login("lee@standing.test", "lee-password-standing"),
    );
    const held = await receive("F-LOCK");
    const hold = await lee.expectData<{ placeHold: { holds: Id[] } }>(
      `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
      { input: { lotId: held.id, reason: "suspect" } },
    );
    const release = (password: string) => ({
      input: { holdId: hold.placeHold.holds[0]!.id, reason: "cleared", signature: { password, meaning: "approved" } },
    });
    for (let attempt = 1; attempt <= 5; attempt++) {
      const result = await lee.request(RELEASE, release(`wrong-${attempt}`));
      expect(result.errors?.[0]?.extensions?.code).toBe("SIGNATURE_REQUIRED");
      if (attempt === 5) expect(result.errors?.[0]?.extensions?.lockedUntil).toEqual(expect.any(String));
    }
    const locked = await lee.request(RELEASE, release("lee-password-standing"));
    expect(locked.errors?.[0]).toMatchObject({
      extensions: { code: "SIGNATURE_REQUIRED", lockedUntil: expect.any(String) },
    });
    expect(locked.errors?.[0]?.message).toContain("locked until");
    expect((await lot(held.id)).status).toBe("ON_HOLD");
    const trail = await admin.expectData<{
      auditTrail: { edges: Array<{ node: { action: string; actor: { name: string } } }> };
    }>(
      `query ($filter: AuditTrailFilter) { auditTrail(filter: $filter) { edges { node { action actor { name } } } } }`,
      {
        filter: { subgraph: "identity", entityId: signer },
      },
    );
    const actions = trail.auditTrail.edges.map((e) => e.node.action);
    expect(actions.filter((a) => a === "signature.failed")).toHaveLength(5);
    expect(actions).toContain("signature.lockedOut");
    expect(actions[0]).toBe("signature.refused");
    expect(
      trail.auditTrail.edges.every((e) => e.node.actor.name === "Lee Signer" || e.node.actor.name === "Administrator"),
    ).toBe(true);
  });

  it("refuses an expired receipt, and ships exactly the serial units named", async () => {
    const expired = {
      code: "F-OLD",
      materialId: ids.flour,
      quantity: "5",
      locationId: ids.site,
      expiresAt: "2020-01-01T00:00:00Z",
    };
    expect(await refused(operator, RECEIVE, expired)).toBe("BAD_USER_INPUT");
    const numbers = ["MX-1", "MX-2", "MX-3", "MX-4", "MX-5"];
    const mixers = await receive("MX-LOT", { materialId: ids.mixer, quantity: "5", serialNumbers: numbers });
    const line = (serialNumbers?: string[]) => ({
      customerId: ids.shop,
      reference: "SO-MX",
      lines: [{ lotId: mixers.id, quantity: "3", ...(serialNumbers ? { serialNumbers } : {}) }],
    });
    expect(await refused(operator, SHIP, line())).toBe("BAD_USER_INPUT");
    expect(await refused(operator, SHIP, line(["MX-1", "MX-2"]))).toBe("BAD_USER_INPUT");
    const shipped = await operator.expectData<{
      shipLots: { shipment: { lines: Array<{ serials: Array<{ serialNumber: string }> }> } };
    }>(SHIP, { input: line(["MX-2", "MX-4", "MX-5"]) });
    expect(shipped.shipLots.shipment.lines[0]?.serials.map((s) => s.serialNumber).sort()).toEqual([
      "MX-2",
      "MX-4",
      "MX-5",
    ]);
    expect((await lot(mixers.id)).serials).toEqual([
      { serialNumber: "MX-1", status: "AVAILABLE" },
      { serialNumber: "MX-2", status: "SHIPPED" },
      { serialNumber: "MX-3", status: "AVAILABLE" },
      { serialNumber: "MX-4", status: "SHIPPED" },
      { serialNumber: "MX-5", status: "SHIPPED" },
    ]);
  });
});
