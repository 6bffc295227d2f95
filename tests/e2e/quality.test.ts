import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { oracleDescendants, type Edge } from "../support/genealogy-oracle.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

const MANAGER_PASSWORD = "manager-password-1234";

/**
 * Issue 5's done-when, through the gateway: a FAIL on a raw lot that already fed three levels of
 * production holds the lot and every descendant in inventory before recordQcDecision returns;
 * nothing held can be consumed or shipped; each held lot's inventory audit entry names the cause;
 * the affected lots equal a BFS oracle over the genealogy. Releasing needs MANAGER and a valid
 * electronic signature, which ends up in quality's audit log; then the lots are available again.
 */
describe(`quality holds that reach every descendant (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let manager: TestClient;
  let operator: TestClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const user = async (email: string, name: string, roles: string[], password: string) => {
      await create(admin, "createUser", { email, name, roles, password }, "user");
      return anonymous.as(await anonymous.login(email, password));
    };
    manager = await user("qm@plant.test", "Quinn Manager", ["MANAGER"], MANAGER_PASSWORD);
    operator = await user("op@plant.test", "Oli Operator", ["OPERATOR"], "operator-password-1234");

    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.mill = await create(admin, "createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.shop = await create(admin, "createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("FLOUR", "RAW");
    ids.sugar = await material("SUGAR", "RAW");
    ids.dough = await material("DOUGH", "INTERMEDIATE");
    ids.mix = await material("MIX", "INTERMEDIATE");
    ids.cake = await material("CAKE", "FINISHED");
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const receive = (code: string, materialId: string, quantity: string) =>
    create(operator, "receiveLot", { code, materialId, quantity, locationId: ids.site }, "lot");

  /** One run of a new work order: consumes the given lots, outputs one lot per code. */
  const run = async (productId: string, consumptions: Array<[string, string]>, outputs: Array<[string, string]>) => {
    const workOrderId = await create(
      manager,
      "createWorkOrder",
      { productId, plannedQuantity: "10", phases: [{ name: "Make" }] },
      "workOrder",
    );
    await create(manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create(operator, "startRun", { workOrderId }, "run");
    for (const [lotId, quantity] of consumptions)
      await create(operator, "consumeLot", { runId, lotId, quantity }, "consumption");
    const lots: string[] = [];
    for (const [code, quantity] of outputs) {
      const data = await operator.expectData<{ recordOutput: { output: { lot: Id } } }>(
        `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
        { input: { runId, code, quantity, locationId: ids.site } },
      );
      lots.push(data.recordOutput.output.lot.id);
    }
    return { runId, lots };
  };

  const CONSUME = `mutation ($input: ConsumeLotInput!) { consumeLot(input: $input) { consumption { id } } }`;
  const SHIP = `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`;
  const LOT = `query ($id: ID) { lot(id: $id) { id code status qualityStatus holds { id active cause { id } } } }`;
  const RELEASE = `mutation ($input: ReleaseHoldInput!) {
    releaseHold(input: $input) {
      hold { id active releasedByName releaseReason signature { signerName signedAt meaning } }
      released { id lot { id } }
    }
  }`;

  const status = async (lotId: string) =>
    (
      await admin.expectData<{ lot: { code: string; status: string; qualityStatus: string } }>(LOT, {
        id: lotId,
      })
    ).lot;

  it("holds every descendant of a failed raw lot, refuses their use, and releases them on a valid signature", async () => {
    // Raw lots: R is the suspect one; S is clean and must stay untouched.
    const r = await receive("R-4471", ids.flour!, "100");
    const s = await receive("S-1", ids.sugar!, "50");
    // Level 1: R + S → D1; R → D2.
    const l1a = await run(
      ids.dough!,
      [
        [r, "30"],
        [s, "10"],
      ],
      [["D1", "40"]],
    );
    const l1b = await run(ids.dough!, [[r, "20"]], [["D2", "20"]]);
    const [d1, d2] = [l1a.lots[0]!, l1b.lots[0]!];
    // Level 2: D1 → M1.
    const l2 = await run(ids.mix!, [[d1, "30"]], [["M1", "30"]]);
    const m1 = l2.lots[0]!;
    // Level 3: M1 + D2 → C1, C2 (run-level genealogy: both inputs are parents of both outputs).
    const l3 = await run(
      ids.cake!,
      [
        [m1, "20"],
        [d2, "10"],
      ],
      [
        ["C1", "20"],
        ["C2", "5"],
      ],
    );
    const [c1, c2] = [l3.lots[0]!, l3.lots[1]!];
    // Part of C1 and all of C2 have already left for a customer.
    await manager.expectData(SHIP, {
      input: { customerId: ids.shop, reference: "SO-1", lines: [{ lotId: c1, quantity: "5" }] },
    });
    await manager.expectData(SHIP, {
      input: { customerId: ids.shop, reference: "SO-2", lines: [{ lotId: c2, quantity: "5" }] },
    });

    const edges: Edge[] = [
      [r, d1],
      [s, d1],
      [r, d2],
      [d1, m1],
      [m1, c1],
      [d2, c1],
      [m1, c2],
      [d2, c2],
    ];
    const expectedDescendants = oracleDescendants(edges, [r]);
    expect(expectedDescendants).toEqual([d1, d2, m1, c1, c2].sort());
    // Traceability projects the genealogy from events: wait until it knows all three levels.
    await eventually(
      async () => {
        const trace = await admin.expectData<{ trace: { nodes: Array<{ lot: Id }> } }>(
          `query ($id: ID!) { trace(lotId: $id, direction: DOWNSTREAM) { nodes { lot { id } } } }`,
          { id: r },
        );
        expect(trace.trace.nodes.map((n) => n.lot.id).sort()).toEqual([r, ...expectedDescendants].sort());
      },
      { timeoutMs: 20_000 },
    );

    const gateId = await create(
      manager,
      "createQcGate",
      {
        name: "Incoming flour",
        blocking: true,
        criticalControlPoint: true,
        characteristics: [{ name: "aflatoxin", lower: 0, upper: 4, unit: "µg/kg" }],
      },
      "gate",
    );
    const failed = await operator.expectData<{
      recordQcDecision: { decision: { id: string; result: string; hold: Id }; affectedLots: Id[] };
    }>(
      `mutation ($input: RecordQcDecisionInput!) {
        recordQcDecision(input: $input) { decision { id result hold { id } } affectedLots { id } }
      }`,
      {
        input: {
          gateId,
          lotId: r,
          decision: "FAIL",
          notes: "supplier reports contamination",
          measurements: [{ characteristic: "aflatoxin", value: 9.5 }],
        },
      },
    );
    const rootHoldId = failed.recordQcDecision.decision.hold.id;
    const affected = failed.recordQcDecision.affectedLots.map((lot) => lot.id);
    // The payload's affected lots are exactly the BFS oracle's: the root and every descendant.
    expect(affected.sort()).toEqual([r, ...expectedDescendants].sort());

    // Already unavailable in inventory when the mutation returned: no waiting here.
    for (const lotId of [r, d1, d2, m1, c1]) expect(await status(lotId)).toMatchObject({ status: "ON_HOLD" });
    expect(await status(c2)).toMatchObject({ status: "SHIPPED", qualityStatus: "ON_HOLD" });
    expect(await status(s)).toMatchObject({ status: "AVAILABLE", qualityStatus: "PENDING" });
    expect((await status(r)).qualityStatus).toBe("ON_HOLD");

    // Nothing held can be consumed or shipped.
    const { runId } = await run(ids.cake!, [], []);
    for (const lotId of [r, d1, d2, m1, c1]) {
      expect(await operator.expectErrorCode(CONSUME, { input: { runId, lotId, quantity: "1" } })).toBe(
        "LOT_UNAVAILABLE",
      );
      expect(
        await manager.expectErrorCode(SHIP, {
          input: { customerId: ids.shop, reference: `SO-${lotId}`, lines: [{ lotId, quantity: "1" }] },
        }),
      ).toBe("LOT_UNAVAILABLE");
    }

    // Each held lot has an inventory audit entry naming the cause: the root hold, on lot R.
    const audit = await lotgraph.databases.inventory.query<{ entity_id: string; reason: string }>(
      "SELECT entity_id, reason FROM audit_log WHERE action = 'lot.held' ORDER BY seq",
    );
    expect(audit.map((row) => row.entity_id).sort()).toEqual([r, ...expectedDescendants].sort());
    for (const row of audit) {
      expect(row.reason).toContain(rootHoldId);
      expect(row.reason).toContain(`on lot ${r}`);
      expect(row.reason).toContain("FAIL at gate Incoming flour");
    }
    // Quality's side: one hold per lot, the descendants' caused by the root.
    const m1Holds = await admin.expectData<{ lot: { holds: Array<{ active: boolean; cause: Id | null }> } }>(LOT, {
      id: m1,
    });
    expect(m1Holds.lot.holds).toEqual([expect.objectContaining({ active: true, cause: { id: rootHoldId } })]);

    // An OPERATOR cannot release; a MANAGER without the right password cannot.
    const release = (signature: Record<string, string> | null) => ({
      input: { holdId: rootHoldId, reason: "lab retest negative", ...(signature ? { signature } : {}) },
    });
    expect(
      await operator.expectErrorCode(
        RELEASE,
        release({ password: "operator-password-1234", meaning: "approved for release" }),
      ),
    ).toBe("FORBIDDEN");
    expect(await manager.expectErrorCode(RELEASE, release(null))).toBe("SIGNATURE_REQUIRED");
    expect(
      await manager.expectErrorCode(RELEASE, release({ password: "not-my-password", meaning: "approved for release" })),
    ).toBe("SIGNATURE_REQUIRED");
    expect((await status(d1)).status).toBe("ON_HOLD");

    // A valid signature releases the root and every hold propagated from it.
    const released = await manager.expectData<{
      releaseHold: {
        hold: {
          id: string;
          active: boolean;
          releasedByName: string;
          releaseReason: string;
          signature: { signerName: string; signedAt: string; meaning: string };
        };
        released: Array<{ id: string; lot: Id }>;
      };
    }>(RELEASE, release({ password: MANAGER_PASSWORD, meaning: "approved for release" }));
    expect(released.releaseHold.hold).toMatchObject({
      id: rootHoldId,
      active: false,
      releasedByName: "Quinn Manager",
      releaseReason: "lab retest negative",
      signature: { signerName: "Quinn Manager", meaning: "approved for release" },
    });
    expect(released.releaseHold.released.map((h) => h.lot.id).sort()).toEqual([r, ...expectedDescendants].sort());
    for (const lotId of [d1, d2, m1, c1]) expect((await status(lotId)).status).toBe("AVAILABLE");
    expect(await status(c2)).toMatchObject({ status: "SHIPPED", qualityStatus: "PENDING" });
    // R's latest decision is still the FAIL: released from its hold, it stays out of use (positive
    // release) until a later PASS or a signed USE_AS_IS. Its descendants were never decided on.
    expect(await status(r)).toMatchObject({ status: "QUARANTINE", qualityStatus: "REJECTED" });
    expect(await operator.expectErrorCode(CONSUME, { input: { runId, lotId: r, quantity: "1" } })).toBe(
      "LOT_UNAVAILABLE",
    );
    expect((await status(m1)).qualityStatus).toBe("PENDING");
    await operator.expectData(CONSUME, { input: { runId, lotId: d2, quantity: "1" } });

    // The signature (name, time, meaning) is in quality's audit log with the release.
    const [entry] = await lotgraph.databases.quality.query<{
      actor_name: string;
      reason: string;
      after: Record<string, unknown>;
    }>("SELECT actor_name, reason, after FROM audit_log WHERE action = 'hold.released' AND entity_id = $1", [
      rootHoldId,
    ]);
    expect(entry).toMatchObject({
      actor_name: "Quinn Manager",
      reason: "lab retest negative",
      after: {
        signature: {
          signerName: "Quinn Manager",
          meaning: "approved for release",
          signedAt: released.releaseHold.hold.signature.signedAt,
        },
      },
    });
    const releasedEntries = await lotgraph.databases.quality.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'hold.released'",
    );
    expect(releasedEntries[0]?.n).toBe(1 + expectedDescendants.length);
  });

  it("placeHold with propagate reports already shipped lots, and only MANAGER may place one", async () => {
    const raw = await receive("R-2", ids.flour!, "10");
    const made = await run(ids.dough!, [[raw, "6"]], [["D-2", "4"]]);
    const dough = made.lots[0]!;
    await manager.expectData(SHIP, {
      input: { customerId: ids.shop, reference: "SO-3", lines: [{ lotId: dough, quantity: "4" }] },
    });
    await eventually(async () => {
      const lot = await admin.expectData<{ lot: { children: Id[] } }>(
        `query ($id: ID) { lot(id: $id) { children { id } } }`,
        {
          id: raw,
        },
      );
      expect(lot.lot.children).toEqual([{ id: dough }]);
    });
    const PLACE = `mutation ($input: PlaceHoldInput!) {
      placeHold(input: $input) { holds { id lot { id } cause { id } } affectedLots { id status } shippedLots { id } }
    }`;
    const input = { lotId: raw, reason: "supplier recall", propagate: true, idempotencyKey: "recall-r2" };
    expect(await operator.expectErrorCode(PLACE, { input })).toBe("FORBIDDEN");
    const placed = await manager.expectData<{
      placeHold: {
        holds: Array<{ id: string; lot: Id; cause: Id | null }>;
        affectedLots: Array<Id & { status: string }>;
        shippedLots: Id[];
      };
    }>(PLACE, { input });
    expect(placed.placeHold.affectedLots).toEqual([
      { id: raw, status: "ON_HOLD" },
      { id: dough, status: "SHIPPED" },
    ]);
    expect(placed.placeHold.shippedLots).toEqual([{ id: dough }]);
    const [root, child] = placed.placeHold.holds;
    expect(root).toMatchObject({ lot: { id: raw }, cause: null });
    expect(child).toMatchObject({ lot: { id: dough }, cause: { id: root!.id } });
    // The same key returns the first result and holds nothing twice.
    const again = await manager.expectData<{ placeHold: { holds: Id[] } }>(PLACE, { input });
    expect(again.placeHold.holds.map((h) => h.id)).toEqual(placed.placeHold.holds.map((h) => h.id));
  });
  it("a SCRAP disposition scraps the held lot in inventory; inventory's refusal records nothing", async () => {
    const lot = await receive("R-NCR", ids.flour!, "12");
    const PLACE = `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`;
    const OPEN = `mutation ($input: OpenNonConformanceInput!) { openNonConformance(input: $input) { nonConformance { id } } }`;
    const DISPOSITION = `mutation ($input: SetDispositionInput!) {
      setDisposition(input: $input) { nonConformance { id disposition lot { id status quantity } } }
    }`;
    const STOCK = `query ($id: ID) { lot(id: $id) { status quantity movements { edges { node { kind quantity reason } } } } }`;
    const placed = await manager.expectData<{ placeHold: { holds: Id[] } }>(PLACE, {
      input: { lotId: lot, reason: "foreign matter found", propagate: false },
    });
    expect((await status(lot)).status).toBe("ON_HOLD");
    const opened = await operator.expectData<{ openNonConformance: { nonConformance: Id } }>(OPEN, {
      input: { holdId: placed.placeHold.holds[0]!.id, description: "glass in flour", owner: "Quinn Manager" },
    });
    const ncrId = opened.openNonConformance.nonConformance.id;
    const input = {
      nonConformanceId: ncrId,
      disposition: "SCRAP",
      signature: { password: MANAGER_PASSWORD, meaning: "scrap approved" },
      idempotencyKey: `scrap-${ncrId}`,
    };
    expect(await operator.expectErrorCode(DISPOSITION, { input })).toBe("FORBIDDEN");

    const set = await manager.expectData<{
      setDisposition: {
        nonConformance: { disposition: string; lot: { id: string; status: string; quantity: string } };
      };
    }>(DISPOSITION, { input });
    expect(set.setDisposition.nonConformance).toMatchObject({
      disposition: "SCRAP",
      lot: { id: lot, status: "SCRAPPED", quantity: "0" },
    });
    const stock = await admin.expectData<{
      lot: { status: string; quantity: string; movements: { edges: Array<{ node: Record<string, string> }> } };
    }>(STOCK, { id: lot });
    expect(stock.lot).toMatchObject({ status: "SCRAPPED", quantity: "0" });
    const scraps = stock.lot.movements.edges.map((e) => e.node).filter((m) => m.kind === "SCRAP");
    expect(scraps).toHaveLength(1);
    expect(scraps[0]).toMatchObject({ quantity: "-12" });
    expect(scraps[0]?.reason).toContain(`nonconformance ${ncrId}`);
    const [entry] = await lotgraph.databases.inventory.query<{ actor_name: string; reason: string }>(
      "SELECT actor_name, reason FROM audit_log WHERE action = 'lot.scrapped' AND entity_id = $1",
      [lot],
    );
    expect(entry?.actor_name).toBe("Quinn Manager");
    expect(entry?.reason).toContain(`nonconformance ${ncrId}`);
    // A retry with the same key returns the result and scraps nothing twice.
    await manager.expectData(DISPOSITION, { input });
    const again = await admin.expectData<{ lot: { movements: { edges: Array<{ node: { kind: string } }> } } }>(STOCK, {
      id: lot,
    });
    expect(again.lot.movements.edges.filter((e) => e.node.kind === "SCRAP")).toHaveLength(1);

    // A lot already gone: inventory refuses, quality records no disposition.
    const gone = await receive("R-NCR-2", ids.flour!, "3");
    const held = await manager.expectData<{ placeHold: { holds: Id[] } }>(PLACE, {
      input: { lotId: gone, reason: "suspect", propagate: false },
    });
    const second = await operator.expectData<{ openNonConformance: { nonConformance: Id } }>(OPEN, {
      input: { holdId: held.placeHold.holds[0]!.id, description: "suspect batch", owner: "Quinn Manager" },
    });
    const secondId = second.openNonConformance.nonConformance.id;
    // Scrapped by hand meanwhile: the disposition is refused with inventory's LOT_UNAVAILABLE.
    await manager.expectData(`mutation ($input: ScrapLotInput!) { scrapLot(input: $input) { lot { id } } }`, {
      input: { lotId: gone, reason: "spilled" },
    });
    expect(
      await manager.expectErrorCode(DISPOSITION, {
        input: {
          nonConformanceId: secondId,
          disposition: "SCRAP",
          signature: { password: MANAGER_PASSWORD, meaning: "scrap approved" },
        },
      }),
    ).toBe("LOT_UNAVAILABLE");
    const [row] = await lotgraph.databases.quality.query<{ disposition: string | null }>(
      "SELECT disposition::text FROM non_conformance WHERE id = $1",
      [secondId],
    );
    expect(row?.disposition).toBeNull();
  });
});
