import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../support/csv.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph, supplierLotCodeOfThisSuite } from "../support/lotgraph.ts";
import { pdfPages } from "../support/pdf.ts";
import { create, runWorkOrder, type PlantCrew } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

/** The flour's supplier lot code, unique to this suite (see supplierLotCodeOfThisSuite). */
const FLOUR_CODE = supplierLotCodeOfThisSuite("SL-1");

const CASE = "id number reportPdfUrl reportCsvUrl";
const OPEN = `mutation ($input: OpenRecallInput!) { openRecall(input: $input) { recallCase { ${CASE} } } }`;
const NOTICE = `mutation ($input: RecordRecallNoticeInput!) { recordRecallNotice(input: $input) { recallCase { id } } }`;
const RECEIVE = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id } } }`;
const SHIP = `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`;
const EXPOSURE = `query { exposure(supplierLotCode: "${FLOUR_CODE}") { customers { customer { id } } } }`;

interface OpenedCase {
  id: string;
  number: string;
  reportPdfUrl: string;
  reportCsvUrl: string;
}

/** A CSV report's rows keyed by column, after its BOM. */
function csvRecords(text: string): Array<Record<string, string>> {
  expect(text.startsWith("\uFEFF")).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  return rows.map((row) => Object.fromEntries(header!.map((column, i) => [column, row[i] ?? ""])));
}

/**
 * Issue 21, through the gateway: the report of a mock-recall drill and of a real recall, as PDF
 * and CSV, from `reportPdfUrl` and `reportCsvUrl`, for the people who may read recall cases.
 */
describe(`recall case reports (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let manager: TestClient;
  let crew: PlantCrew;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const download = (path: string, token: string | null) =>
    fetch(new URL(path, lotgraph.gatewayUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());
  // fetch's text() would drop the BOM.
  const text = async (response: Response) =>
    new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const user = async (role: string, name: string) => {
      const email = `${role.toLowerCase()}@report.test`;
      const password = `${role.toLowerCase()}-password-report`;
      await create(admin, "createUser", { email, name, roles: [role], password }, "user");
      tokens[role] = await anonymous.login(email, password);
      return anonymous.as(tokens[role]);
    };
    manager = await user("MANAGER", "Rhea Recall");
    const operator = await user("OPERATOR", "Otto Operator");
    await user("AUDITOR", "Ada Auditor");
    await user("VIEWER", "Vic Viewer");
    crew = { manager, operator };
    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.mill = await create(admin, "createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    const customer = (code: string, name: string) =>
      create(admin, "createParty", { code, name, kind: "CUSTOMER" }, "party");
    ids.shop = await customer("SHOP", "Corner Shop, Ltd");
    ids.cafe = await customer("CAFE", "Café du Marché");
    const material = (sku: string, name: string, kind: string) =>
      create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("FLOUR", "Wheat flour", "RAW");
    ids.sugar = await material("SUGAR", "Cane sugar", "RAW");
    ids.cookie = await material("COOKIE", "Butter cookie", "FINISHED");

    // 30 kg of flour SL-1 and 70 kg of sugar make 100 kg of cookies (30 % flour SL-1); 40 kg go
    // to the shop and 20 kg to the café: 12 kg and 6 kg of SL-1.
    const receive = async (code: string, materialId: string, quantity: string, extra: Record<string, unknown> = {}) =>
      (
        await operator.expectData<{ receiveLot: { lot: Id } }>(RECEIVE, {
          input: { code, materialId, quantity, locationId: ids.site, ...extra },
        })
      ).receiveLot.lot.id;
    ids.flourLot = await receive("FL-1", ids.flour, "30", { supplierId: ids.mill, supplierLotCode: FLOUR_CODE });
    ids.sugarLot = await receive("SU-1", ids.sugar, "70");
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
    for (const [customerId, quantity, reference] of [
      [ids.shop, "40", "SO-1001"],
      [ids.cafe, "20", "SO-1002"],
    ] as const)
      await operator.expectData(SHIP, {
        input: { customerId, reference, lines: [{ lotId: ids.cookieLot, quantity }] },
      });
    // The genealogy is a projection: wait until it has seen the shipments.
    await eventually(async () => {
      const exposure = await manager.expectData<{ exposure: { customers: Id[] } }>(EXPOSURE);
      expect(exposure.exposure.customers).toHaveLength(2);
    });
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const open = async (input: Record<string, unknown>) =>
    (await manager.expectData<{ openRecall: { recallCase: OpenedCase } }>(OPEN, { input })).openRecall.recallCase;

  it("reports a mock-recall drill as CSV rows and a PDF an auditor reads", async () => {
    const drill = await open({ supplierLotCode: FLOUR_CODE, reason: "annual mock recall", drill: true });
    expect(drill.number).toMatch(/^DRILL-\d{4}-\d{4}$/);

    const csv = await download(drill.reportCsvUrl, tokens.AUDITOR!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${drill.number}-report.csv"`);
    const rows = csvRecords(await text(csv));
    expect(new Set(rows.map((r) => r.case_number))).toEqual(new Set([drill.number]));
    const summary = Object.fromEntries(rows.filter((r) => r.record_type === "SUMMARY").map((r) => [r.metric, r.value]));
    expect(summary).toMatchObject({
      kind: "DRILL",
      status: "OPEN",
      source: FLOUR_CODE,
      opened_by: "Rhea Recall",
      containment: "NONE",
      lots_affected: "2",
      finished_lots: "1",
      shipments: "2",
      customers: "2",
      recovery_percent: "100",
      balanced: "true",
      generated_by: "Ada Auditor",
    });
    expect(Number(summary.answered_in_ms)).toBeGreaterThanOrEqual(0);
    const customers = rows
      .filter((r) => r.record_type === "CUSTOMER")
      .map((r) => [r.customer_name, r.shipment_references, Number(r.quantity_of_source), r.uom]);
    expect(customers).toEqual([
      ["Corner Shop, Ltd", "SO-1001", 12, "kg"],
      ["Café du Marché", "SO-1002", 6, "kg"],
    ]);
    const lots = rows
      .filter((r) => r.record_type === "LOT")
      .map((r) => [r.lot_code, r.material_name, r.depth, r.fraction_percent, Number(r.quantity_of_source)]);
    expect(lots).toEqual([
      ["FL-1", "Wheat flour", "0", "100.0000", 30],
      ["CK-1", "Butter cookie", "1", "30.0000", 30],
    ]);
    expect(rows.filter((r) => r.record_type === "RECONCILIATION").map((r) => [r.uom, Number(r.received)])).toEqual([
      ["kg", 30],
    ]);
    expect(rows.some((r) => r.record_type === "NOTICE" || r.record_type === "ACTION")).toBe(false);

    const pdf = await download(drill.reportPdfUrl, tokens.MANAGER!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toBe(`attachment; filename="${drill.number}-report.pdf"`);
    const body = await bytes(pdf);
    expect(new TextDecoder().decode(body.subarray(0, 5))).toBe("%PDF-");
    const pages = await pdfPages(body);
    expect(pages).toHaveLength(1);
    for (const expected of [
      drill.number,
      "Mock-recall drill report",
      "annual mock recall",
      `Supplier lot code ${FLOUR_CODE}`,
      "by Rhea Recall",
      "Time to answer",
      "100.00 %",
      "Corner Shop, Ltd",
      "Café du Marché",
      "Wheat flour (FLOUR)",
      "30.0000 %",
      "Page 1 of 1",
    ])
      expect(pages[0]).toContain(expected);
  });

  it("reports a real recall with its holds, notices and open actions", async () => {
    const recall = await open({ supplierLotCode: FLOUR_CODE, reason: "supplier reports salmonella" });
    await manager.expectData(NOTICE, {
      input: {
        recallCaseId: recall.id,
        customerId: ids.shop,
        notifiedAt: new Date(Date.now() - 60_000).toISOString(),
        acknowledgedAt: new Date().toISOString(),
        note: "phoned J. Smith",
      },
    });

    const rows = csvRecords(await text(await download(recall.reportCsvUrl, tokens.AUDITOR!)));
    const summary = Object.fromEntries(rows.filter((r) => r.record_type === "SUMMARY").map((r) => [r.metric, r.value]));
    expect(summary).toMatchObject({
      kind: "RECALL",
      containment: "PLACED",
      supplier_holds: "1",
      customers_notified: "1",
      customers_acknowledged: "1",
    });
    expect(rows.filter((r) => r.record_type === "NOTICE").map((r) => [r.customer_name, r.note, r.recorded_by])).toEqual(
      [["Corner Shop, Ltd", "phoned J. Smith", "Rhea Recall"]],
    );
    const actions = rows
      .filter((r) => r.record_type === "ACTION")
      .map((r) => [r.action, r.customer_name || r.lot_code]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["NOTIFY_CUSTOMER", "Café du Marché"],
        ["RECOVER_ON_HAND", "CK-1"],
      ]),
    );

    const pages = await pdfPages(await bytes(await download(recall.reportPdfUrl, tokens.AUDITOR!)));
    const all = pages.join("\n");
    for (const expected of [
      recall.number,
      "Recall report",
      "supplier hold placed by quality",
      "1 of 2 notified, 1 acknowledged",
      "Customer notices",
      "phoned J. Smith",
      "Notify customer",
      "Café du Marché",
      `Page 1 of ${pages.length}`,
    ])
      expect(all).toContain(expected);
  });

  it("answers 401 without a valid token, 403 to other roles, 404 for an unknown case or file", async () => {
    const drill = await open({ lotId: ids.flourLot, reason: "second drill", drill: true });
    for (const path of [drill.reportPdfUrl, drill.reportCsvUrl]) {
      const anonymous = await download(path, null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
      expect((await download(path, "not-a-token")).status).toBe(401);
      for (const role of ["VIEWER", "OPERATOR"]) {
        const refused = await download(path, tokens[role]!);
        expect(refused.status, role).toBe(403);
        expect(await refused.text()).toMatch(/FORBIDDEN/);
      }
    }
    const unknown = "00000000-0000-4000-8000-000000000001";
    for (const path of [
      `/exports/recall-cases/${unknown}/report.pdf`,
      `/exports/recall-cases/${unknown}/report.csv`,
      "/exports/recall-cases/not-a-uuid/report.pdf",
      "/exports/recall-cases/%zz/report.pdf",
      `/exports/recall-cases/${drill.id}/report.txt`,
      `/exports/recall-cases/${drill.id}`,
    ])
      expect((await download(path, tokens.AUDITOR!)).status, path).toBe(404);
    // A lot case names its lot by code.
    const rows = csvRecords(await text(await download(drill.reportCsvUrl, tokens.AUDITOR!)));
    expect(rows.find((r) => r.metric === "source")?.value).toBe("FL-1");
  });
});
