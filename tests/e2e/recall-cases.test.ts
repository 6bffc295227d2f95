import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unpackEvidence } from "@lotgraph/kit/evidence";
import { expectRefusedWithoutChange } from "../support/footprint.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph, supplierLotCodeOfThisSuite } from "../support/lotgraph.ts";
import { create, runWorkOrder, type PlantCrew } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

/** The flour's supplier lot code, unique to this suite (see supplierLotCodeOfThisSuite). */
const FLOUR_CODE = supplierLotCodeOfThisSuite("SL-1");

const MANAGER_PASSWORD = "manager-password-recall";
const SIGNED = { password: MANAGER_PASSWORD, meaning: "recall complete" };

const CASE_FIELDS = `
  id number status drill reason supplierLotCode sourceLot { id } openedByName answeredInMs
  closedByName closeReason signature { signerName meaning }
  holds { id } supplierHolds { id }
  scope { frozenCount foundLaterCount lots { lot { id } frozen } finishedLots { id } onHand { id } shipments { id } }
  exposure { lots { lot { id } fraction quantityOfSource uom depth } customers { customer { id } quantityOfSource uom shipments { id } } }
  notices { customer { id } notifiedAt acknowledgedAt note recordedByName }
  reconciliation { balanced percentAccountedFor lines { uom received consumed onHand shipped scrapped adjustments unaccounted } }
  openActions { kind description customer { id } lot { id } }
  reportPdfUrl reportCsvUrl evidenceUrl`;
const OPEN = `mutation ($input: OpenRecallInput!) { openRecall(input: $input) { recallCase { ${CASE_FIELDS} } } }`;
const NOTICE = `mutation ($input: RecordRecallNoticeInput!) { recordRecallNotice(input: $input) { recallCase { ${CASE_FIELDS} } } }`;
const CLOSE = `mutation ($input: CloseRecallInput!) { closeRecall(input: $input) { recallCase { ${CASE_FIELDS} } } }`;
const CASE = `query ($id: ID!) { recallCase(id: $id) { ${CASE_FIELDS} } }`;
const HOLDS_OF_LOT = `query ($id: ID) { lot(id: $id) { holds { id active } } }`;
const RELEASE_HOLD = `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } } }`;
const RELEASE_SUPPLIER_HOLD = `mutation ($input: ReleaseSupplierHoldInput!) { releaseSupplierHold(input: $input) { supplierHold { id } } }`;
const CASES = `query ($status: RecallCaseStatus, $drill: Boolean, $first: Int, $after: String) {
  recallCases(status: $status, drill: $drill, first: $first, after: $after) {
    edges { node { id number } } pageInfo { hasNextPage endCursor } totalCount
  }
}`;
const RECALL = `query ($code: String) { recall(supplierLotCode: $code) { affectedLots { id } } }`;
const RECEIVE = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id status } } }`;
const SHIP = `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`;
const LOT = `query ($id: ID) { lot(id: $id) { id status quantity } }`;
const AUDIT = `query ($filter: AuditTrailFilter) { auditTrail(filter: $filter, first: 20) { edges { node { action actor { name } } } } }`;

interface CaseView {
  id: string;
  number: string;
  status: string;
  drill: boolean;
  reason: string;
  supplierLotCode: string | null;
  sourceLot: Id | null;
  openedByName: string;
  answeredInMs: number;
  closedByName: string | null;
  closeReason: string | null;
  signature: { signerName: string; meaning: string } | null;
  holds: Id[];
  supplierHolds: Id[];
  scope: {
    frozenCount: number;
    foundLaterCount: number;
    lots: Array<{ lot: Id; frozen: boolean }>;
    finishedLots: Id[];
    onHand: Id[];
    shipments: Id[];
  };
  exposure: {
    lots: Array<{ lot: Id; fraction: string; quantityOfSource: string; uom: string; depth: number }>;
    customers: Array<{ customer: Id; quantityOfSource: string; uom: string; shipments: Id[] }>;
  };
  notices: Array<{
    customer: Id;
    notifiedAt: string;
    acknowledgedAt: string | null;
    note: string;
    recordedByName: string;
  }>;
  reconciliation: {
    balanced: boolean;
    percentAccountedFor: number;
    lines: Array<Record<string, string>>;
  };
  openActions: Array<{ kind: string; description: string; customer: Id | null; lot: Id | null }>;
  reportPdfUrl: string;
  reportCsvUrl: string;
  evidenceUrl: string;
}

const num = (value: string) => Number(value);

/**
 * Issue 21, through the gateway: a mock-recall drill and a real recall from a supplier lot code.
 * The drill answers without touching stock; the recall holds everything, catches a later receipt,
 * takes customers' notices and closes only once every reached customer was told, with a signature.
 */
describe(`recall cases (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let crew: PlantCrew;
  let manager: TestClient;
  let auditor: TestClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const user = async (email: string, name: string, roles: string[], password: string) => {
      await create(admin, "createUser", { email, name, roles, password }, "user");
      return anonymous.as(await anonymous.login(email, password));
    };
    manager = await user("qm@recall.test", "Rhea Recall", ["MANAGER"], MANAGER_PASSWORD);
    const operator = await user("op@recall.test", "Otto Operator", ["OPERATOR"], "operator-password-recall");
    auditor = await user("au@recall.test", "Ada Auditor", ["AUDITOR"], "auditor-password-recall");
    crew = { manager, operator };
    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.mill = await create(admin, "createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.shop = await create(admin, "createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    ids.cafe = await create(admin, "createParty", { code: "CAFE", name: "Cafe", kind: "CUSTOMER" }, "party");
    ids.deli = await create(admin, "createParty", { code: "DELI", name: "Deli", kind: "CUSTOMER" }, "party");
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("FLOUR", "RAW");
    ids.sugar = await material("SUGAR", "RAW");
    ids.cookie = await material("COOKIE", "FINISHED");

    // 30 kg of flour SL-1 and 70 kg of sugar make 100 kg of cookies: 30 % flour SL-1.
    const receive = async (code: string, materialId: string, quantity: string, extra: Record<string, unknown> = {}) =>
      (
        await operator.expectData<{ receiveLot: { lot: { id: string; status: string } } }>(RECEIVE, {
          input: { code, materialId, quantity, locationId: ids.site, ...extra },
        })
      ).receiveLot.lot;
    ids.flourLot = (await receive("FL-1", ids.flour, "30", { supplierId: ids.mill, supplierLotCode: FLOUR_CODE })).id;
    ids.sugarLot = (await receive("SU-1", ids.sugar, "70")).id;
    const made = await runWorkOrder(crew, {
      productId: ids.cookie,
      locationId: ids.site,
      consume: [
        [ids.flourLot, "30"],
        [ids.sugarLot, "70"],
      ],
      output: [["CK-1", "100"]],
    });
    ids.cookieLot = made.lots[0]!;
    const ship = async (customerId: string, quantity: string) =>
      (
        await operator.expectData<{ shipLots: { shipment: Id } }>(SHIP, {
          input: { customerId, reference: `SO-${customerId.slice(0, 4)}`, lines: [{ lotId: ids.cookieLot, quantity }] },
        })
      ).shipLots.shipment.id;
    ids.toShop = await ship(ids.shop, "40");
    ids.toCafe = await ship(ids.cafe, "20");
    // The genealogy is a projection: wait until it has seen the shipments.
    await eventually(async () => {
      const recall = await manager.expectData<{ recall: { affectedLots: Id[] } }>(RECALL, { code: FLOUR_CODE });
      expect(recall.recall.affectedLots.map((l) => l.id).sort()).toEqual([ids.flourLot, ids.cookieLot].sort());
    });
    await eventually(async () => {
      const exposure = await manager.expectData<{ exposure: { customers: Id[] } }>(
        `query { exposure(supplierLotCode: "${FLOUR_CODE}") { customers { customer { id } } } }`,
      );
      expect(exposure.exposure.customers).toHaveLength(2);
    });
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const refused = (client: TestClient, query: string, input: Record<string, unknown>) =>
    expectRefusedWithoutChange(lotgraph.databases, () => client.expectErrorCode(query, { input }));
  const lot = async (id: string) => (await admin.expectData<{ lot: { status: string } }>(LOT, { id })).lot;

  it("runs a mock-recall drill: the full answer, timed, and no stock touched", async () => {
    const drill = (
      await manager.expectData<{ openRecall: { recallCase: CaseView } }>(OPEN, {
        input: { supplierLotCode: FLOUR_CODE, reason: "annual mock recall", drill: true },
      })
    ).openRecall.recallCase;
    expect(drill).toMatchObject({
      status: "OPEN",
      drill: true,
      supplierLotCode: FLOUR_CODE,
      sourceLot: null,
      openedByName: "Rhea Recall",
      holds: [],
      supplierHolds: [],
    });
    expect(drill.number).toMatch(/^DRILL-\d{4}-0001$/);
    ids.drill = drill.id;
    expect(drill.answeredInMs).toBeGreaterThanOrEqual(0);
    expect(drill.scope.lots.map((l) => l.lot.id).sort()).toEqual([ids.flourLot, ids.cookieLot].sort());
    expect(drill.scope.finishedLots).toEqual([{ id: ids.cookieLot }]);
    expect(drill.scope.shipments.map((s) => s.id).sort()).toEqual([ids.toShop, ids.toCafe].sort());
    const cookie = drill.exposure.lots.find((l) => l.lot.id === ids.cookieLot)!;
    expect(num(cookie.fraction)).toBe(0.3);
    expect(num(cookie.quantityOfSource)).toBe(30);
    const byCustomer = Object.fromEntries(
      drill.exposure.customers.map((c) => [c.customer.id, num(c.quantityOfSource)]),
    );
    expect(byCustomer).toEqual({ [ids.shop!]: 12, [ids.cafe!]: 6 });
    expect(drill.reconciliation.balanced).toBe(true);
    expect(drill.reconciliation.percentAccountedFor).toBe(100);
    expect(drill.reconciliation.lines).toHaveLength(1);
    expect(num(drill.reconciliation.lines[0]!.received!)).toBe(30);
    expect(num(drill.reconciliation.lines[0]!.consumed!)).toBe(30);
    // A drill tells nobody: no customer actions, nothing held.
    expect(drill.openActions).toEqual([]);
    expect((await lot(ids.cookieLot!)).status).toBe("AVAILABLE");
    expect(drill.reportPdfUrl).toBe(`/exports/recall-cases/${drill.id}/report.pdf`);

    const notice = { recallCaseId: drill.id, customerId: ids.shop, notifiedAt: new Date().toISOString() };
    expect(await refused(manager, NOTICE, notice)).toBe("CONFLICT");
    const close = { recallCaseId: drill.id, reason: "drill done" };
    expect(await refused(manager, CLOSE, close)).toBe("SIGNATURE_REQUIRED");
    const closed = (
      await manager.expectData<{ closeRecall: { recallCase: CaseView } }>(CLOSE, {
        input: { ...close, signature: SIGNED },
      })
    ).closeRecall.recallCase;
    expect(closed).toMatchObject({
      status: "CLOSED",
      closedByName: "Rhea Recall",
      closeReason: "drill done",
      signature: { signerName: "Rhea Recall", meaning: "recall complete" },
      openActions: [],
    });
    expect(await refused(manager, CLOSE, { ...close, signature: SIGNED })).toBe("CONFLICT");
  });

  it("refuses what it must, and changes nothing", async () => {
    expect(await refused(crew.operator, OPEN, { supplierLotCode: FLOUR_CODE, reason: "x" })).toBe("FORBIDDEN");
    expect(await refused(auditor, OPEN, { supplierLotCode: FLOUR_CODE, reason: "x" })).toBe("FORBIDDEN");
    expect(await refused(manager, OPEN, { supplierLotCode: FLOUR_CODE, lotId: ids.flourLot, reason: "x" })).toBe(
      "BAD_USER_INPUT",
    );
    expect(await refused(manager, OPEN, { reason: "x" })).toBe("BAD_USER_INPUT");
    expect(await refused(manager, OPEN, { supplierLotCode: FLOUR_CODE, reason: " " })).toBe("BAD_USER_INPUT");
    expect(await refused(manager, OPEN, { supplierLotCode: "NOPE", reason: "typo" })).toBe("NOT_FOUND");
    expect(await refused(manager, OPEN, { lotId: "00000000-0000-4000-8000-000000000001", reason: "unknown lot" })).toBe(
      "NOT_FOUND",
    );
    expect(await crew.operator.expectErrorCode(CASES, {})).toBe("FORBIDDEN");
    const unknown = { recallCaseId: "00000000-0000-4000-8000-000000000002" };
    const notice = { ...unknown, customerId: ids.shop, notifiedAt: new Date().toISOString() };
    expect(await refused(manager, NOTICE, notice)).toBe("NOT_FOUND");
    expect(await refused(manager, CLOSE, { ...unknown, reason: "x", signature: SIGNED })).toBe("NOT_FOUND");
  });

  it("opens a recall that holds the scope, catches a later receipt, and closes once every customer is told", async () => {
    const input = { supplierLotCode: FLOUR_CODE, reason: "supplier reports salmonella", idempotencyKey: "recall-sl-1" };
    const opened = (await manager.expectData<{ openRecall: { recallCase: CaseView } }>(OPEN, { input })).openRecall
      .recallCase;
    // A retry of the same request is the same case.
    const again = (await manager.expectData<{ openRecall: { recallCase: CaseView } }>(OPEN, { input })).openRecall
      .recallCase;
    expect(again.id).toBe(opened.id);
    expect(opened.number).toMatch(/^RC-\d{4}-0001$/);
    expect(opened.drill).toBe(false);
    expect(opened.supplierHolds).toHaveLength(1);
    expect((await lot(ids.cookieLot!)).status).toBe("ON_HOLD");
    const kinds = opened.openActions.map((a) => [a.kind, a.customer?.id ?? a.lot?.id]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ["NOTIFY_CUSTOMER", ids.shop],
        ["NOTIFY_CUSTOMER", ids.cafe],
        ["RECOVER_ON_HAND", ids.cookieLot],
      ]),
    );

    // The next truck of SL-1 arrives held and joins the case as found later.
    const later = await crew.operator.expectData<{ receiveLot: { lot: { id: string; status: string } } }>(RECEIVE, {
      input: {
        code: "FL-3",
        materialId: ids.flour,
        quantity: "5",
        locationId: ids.site,
        supplierId: ids.mill,
        supplierLotCode: FLOUR_CODE,
      },
    });
    expect(later.receiveLot.lot.status).toBe("ON_HOLD");
    const grown = await eventually(async () => {
      const read = (await auditor.expectData<{ recallCase: CaseView }>(CASE, { id: opened.id })).recallCase;
      expect(read.scope.lots).toContainEqual({ lot: { id: later.receiveLot.lot.id }, frozen: false });
      return read;
    });
    expect(grown.scope.foundLaterCount).toBe(1);
    // While the recall is open no path releases what it holds: the supplier hold, the hold of one
    // of its lots, or the hold the later truck arrived under. Each is refused and changes nothing.
    const heldBy = async (lotId: string) =>
      (
        await admin.expectData<{ lot: { holds: Array<{ id: string; active: boolean }> } }>(HOLDS_OF_LOT, {
          id: lotId,
        })
      ).lot.holds.filter((h) => h.active);
    const release = { reason: "looks fine to me", signature: SIGNED };
    expect(
      await refused(manager, RELEASE_SUPPLIER_HOLD, { ...release, supplierHoldId: opened.supplierHolds[0]!.id }),
    ).toBe("CONFLICT");
    for (const lotId of [ids.cookieLot!, later.receiveLot.lot.id]) {
      const [hold] = await heldBy(lotId);
      expect(await refused(manager, RELEASE_HOLD, { ...release, holdId: hold!.id })).toBe("CONFLICT");
      expect((await lot(lotId)).status).toBe("ON_HOLD");
    }
    // The drill run before that truck is the record of what was found then: not FL-3, not its 5 kg.
    const drill = (await auditor.expectData<{ recallCase: CaseView }>(CASE, { id: ids.drill })).recallCase;
    expect(drill.scope.lots.map((l) => l.lot.id).sort()).toEqual([ids.flourLot, ids.cookieLot].sort());
    expect(drill.scope.foundLaterCount).toBe(0);
    expect(drill.exposure.lots.map((l) => l.lot.id)).not.toContain(later.receiveLot.lot.id);
    expect(num(drill.reconciliation.lines[0]!.received!)).toBe(30);
    // Its evidence bundle agrees with it: nothing found later, no event of the later truck.
    const zip = await fetch(new URL(drill.evidenceUrl, lotgraph.gatewayUrl), {
      headers: { authorization: `Bearer ${auditor.token}` },
    });
    expect(zip.status).toBe(200);
    const evidence = unpackEvidence(new Uint8Array(await zip.arrayBuffer()));
    const drillCase = JSON.parse(new TextDecoder().decode(evidence.get("case.json"))) as {
      scope: { frozenLots: Array<{ id: string }>; foundLaterLots: unknown[] };
    };
    expect(drillCase.scope.frozenLots.map((l) => l.id).sort()).toEqual([ids.flourLot, ids.cookieLot].sort());
    expect(drillCase.scope.foundLaterLots).toEqual([]);
    expect(new TextDecoder().decode(evidence.get("fsma204.csv"))).not.toContain("FL-3");

    // Not closed while a reached customer has not been told.
    const close = { recallCaseId: opened.id, reason: "all customers told, stock destroyed", signature: SIGNED };
    expect(await refused(manager, CLOSE, close)).toBe("CONFLICT");
    const told = { recallCaseId: opened.id, notifiedAt: new Date(Date.now() - 60_000).toISOString() };
    expect(await refused(manager, NOTICE, { ...told, customerId: ids.deli })).toBe("BAD_USER_INPUT");
    expect(
      await refused(manager, NOTICE, { ...told, customerId: ids.shop, acknowledgedAt: new Date(0).toISOString() }),
    ).toBe("BAD_USER_INPUT");
    expect(
      await refused(manager, NOTICE, {
        ...told,
        customerId: ids.shop,
        notifiedAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    ).toBe("BAD_USER_INPUT");
    // Nobody was told of a shipment before it left: a notice dated long before it is refused.
    expect(await refused(manager, NOTICE, { ...told, customerId: ids.shop, notifiedAt: "1999-01-01T10:00:00Z" })).toBe(
      "BAD_USER_INPUT",
    );
    expect(await refused(crew.operator, NOTICE, { ...told, customerId: ids.shop })).toBe("FORBIDDEN");
    await manager.expectData(NOTICE, {
      input: { ...told, customerId: ids.shop, acknowledgedAt: new Date().toISOString(), note: "phoned J. Smith" },
    });
    const halfway = (
      await manager.expectData<{ recordRecallNotice: { recallCase: CaseView } }>(NOTICE, {
        input: { ...told, customerId: ids.cafe },
      })
    ).recordRecallNotice.recallCase;
    expect(halfway.notices.map((n) => [n.customer.id, n.recordedByName])).toEqual([
      [ids.shop, "Rhea Recall"],
      [ids.cafe, "Rhea Recall"],
    ]);
    expect(halfway.openActions.map((a) => [a.kind, a.customer?.id ?? null])).toContainEqual([
      "AWAIT_ACKNOWLEDGEMENT",
      ids.cafe,
    ]);
    expect(halfway.openActions.some((a) => a.kind === "NOTIFY_CUSTOMER")).toBe(false);

    expect(await refused(manager, CLOSE, { ...close, signature: { ...SIGNED, password: "wrong" } })).toBe(
      "SIGNATURE_REQUIRED",
    );
    const closed = (await manager.expectData<{ closeRecall: { recallCase: CaseView } }>(CLOSE, { input: close }))
      .closeRecall.recallCase;
    expect(closed).toMatchObject({ status: "CLOSED", signature: { signerName: "Rhea Recall" } });
    // Closing a case does not release its holds: quality does, with its own signature, now that
    // the recall is closed (quality learns it from the recall.closed event).
    expect((await lot(ids.cookieLot!)).status).toBe("ON_HOLD");
    await eventually(async () =>
      expect(
        await manager.expectData(RELEASE_SUPPLIER_HOLD, {
          input: {
            reason: "recall closed, stock destroyed",
            signature: SIGNED,
            supplierHoldId: opened.supplierHolds[0]!.id,
          },
        }),
      ).toBeTruthy(),
    );
    expect(await refused(manager, NOTICE, { ...told, customerId: ids.shop })).toBe("CONFLICT");

    const trail = await auditor.expectData<{
      auditTrail: { edges: Array<{ node: { action: string; actor: { name: string } } }> };
    }>(AUDIT, { filter: { entityType: "RecallCase", entityId: opened.id } });
    expect(trail.auditTrail.edges.map((e) => e.node.action).sort()).toEqual(
      ["recall.closed", "recall.contained", "recall.noticeRecorded", "recall.noticeRecorded", "recall.opened"].sort(),
    );
    expect(new Set(trail.auditTrail.edges.map((e) => e.node.actor.name))).toEqual(new Set(["Rhea Recall"]));
  });

  it("lists cases newest first, page by page, by status and kind", async () => {
    const first = await auditor.expectData<{
      recallCases: {
        edges: Array<{ node: { number: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        totalCount: number;
      };
    }>(CASES, { first: 1 });
    expect(first.recallCases.totalCount).toBe(2);
    expect(first.recallCases.edges.map((e) => e.node.number)[0]).toMatch(/^RC-/);
    expect(first.recallCases.pageInfo.hasNextPage).toBe(true);
    const second = await auditor.expectData<{ recallCases: { edges: Array<{ node: { number: string } }> } }>(CASES, {
      first: 1,
      after: first.recallCases.pageInfo.endCursor,
    });
    expect(second.recallCases.edges.map((e) => e.node.number)[0]).toMatch(/^DRILL-/);
    const drills = await auditor.expectData<{ recallCases: { totalCount: number } }>(CASES, { drill: true });
    expect(drills.recallCases.totalCount).toBe(1);
    const open = await auditor.expectData<{ recallCases: { totalCount: number } }>(CASES, { status: "OPEN" });
    expect(open.recallCases.totalCount).toBe(0);
    expect(await auditor.expectErrorCode(CASES, { after: "not-a-cursor" })).toBe("BAD_USER_INPUT");
  });

  it("finishes opening a recall after traceability's database failed between quality's holds and the case", async () => {
    const traceability = lotgraph.databases.traceability;
    const lotId = await create(
      crew.operator,
      "receiveLot",
      { materialId: ids.flour, quantity: "8", locationId: ids.site, code: "FL-CRASH" },
      "lot",
    );
    await traceability.exec(`
      CREATE OR REPLACE FUNCTION injected_outage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected outage' USING ERRCODE = '08006'; END $$;
      CREATE TRIGGER injected_outage BEFORE INSERT ON recall_case FOR EACH ROW EXECUTE FUNCTION injected_outage();`);
    const input = { lotId, reason: "foreign body found", idempotencyKey: "recall-crash" };
    expect(await manager.expectErrorCode(OPEN, { input })).toBe("SERVICE_UNAVAILABLE");
    expect((await lot(lotId)).status, "quality held the lot before the case failed").toBe("ON_HOLD");
    await traceability.exec("DROP TRIGGER injected_outage ON recall_case");
    // As if the request's grace (15 s) had passed, so the test need not wait it out.
    await traceability.query("UPDATE pending_write SET next_attempt_at = now() WHERE completed_at IS NULL");
    const recovered = await eventually(
      async () => {
        const page = await auditor.expectData<{ recallCases: { edges: Array<{ node: { id: string } }> } }>(CASES, {
          status: "OPEN",
        });
        expect(page.recallCases.edges).toHaveLength(1);
        return page.recallCases.edges[0]!.node.id;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const read = (await auditor.expectData<{ recallCase: CaseView }>(CASE, { id: recovered })).recallCase;
    expect(read).toMatchObject({ sourceLot: { id: lotId }, openedByName: "Rhea Recall", drill: false });
    expect(read.holds).toHaveLength(1);
    // The client's retry gets the case recovery recorded, and places nothing twice.
    const retried = (await manager.expectData<{ openRecall: { recallCase: CaseView } }>(OPEN, { input })).openRecall
      .recallCase;
    expect(retried.id).toBe(recovered);
    expect(retried.holds).toEqual(read.holds);
  });

  it("numbers drills opened at once apart, and closes a case once when two people close it at once", async () => {
    const open = () =>
      manager.expectData<{ openRecall: { recallCase: CaseView } }>(OPEN, {
        input: { lotId: ids.sugarLot, reason: "sugar drill", drill: true },
      });
    const opened = (await Promise.all([open(), open(), open()])).map((d) => d.openRecall.recallCase);
    expect(new Set(opened.map((c) => c.number)).size).toBe(3);
    const [target] = opened;
    const close = () =>
      manager.request(CLOSE, { input: { recallCaseId: target!.id, reason: "done", signature: SIGNED } });
    const answers = await Promise.all([close(), close()]);
    const codes = answers.map((a) => (a.errors?.[0]?.extensions?.code as string | undefined) ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    const trail = await auditor.expectData<{ auditTrail: { edges: Array<{ node: { action: string } }> } }>(AUDIT, {
      filter: { entityType: "RecallCase", entityId: target!.id },
    });
    expect(trail.auditTrail.edges.map((e) => e.node.action).sort()).toEqual([
      "recall.drillClosed",
      "recall.drillOpened",
    ]);
  });
});
