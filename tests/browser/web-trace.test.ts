import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, runWorkOrder } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * Trace (/trace/[code]) and recall (/recall) against the real stack in embedded mode. Two receipts
 * of one supplier's flour; one made dough, the dough made bread, some bread shipped. A quality
 * manager traces the bread back to the flour on the graph, and recalls the supplier's lot: every
 * lot it reached, what is on hand and where, who received it, and the FSMA 204 file.
 */
describe("web: trace and recall", () => {
  let stack: Stack;
  let browser: Browser;
  const codes = {
    flourA: "FL-TRACE-A",
    flourB: "FL-TRACE-B",
    dough: "DO-TRACE-1",
    bread: "BR-TRACE-1",
    units: "CU-TRACE-1",
    screws: "SC-TRACE-1",
  };
  const supplierLotCode = "MILL-2026-118";

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    const crew = await hireCrew(anonymous, admin, "trace");
    const site = await create(admin, "createLocation", { code: "WH-1", name: "Warehouse 1", kind: "SITE" }, "location");
    const mill = await create(admin, "createParty", { code: "MILL", name: "Northern Mill", kind: "SUPPLIER" }, "party");
    const shop = await create(admin, "createParty", { code: "SHOP", name: "Corner Shop", kind: "CUSTOMER" }, "party");
    const material = (sku: string, name: string, kind: string, tracking = "LOT") =>
      create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking }, "material");
    const flour = await material("FLOUR-TR", "Wheat flour", "RAW");
    const dough = await material("DOUGH-TR", "Bread dough", "INTERMEDIATE");
    const bread = await material("BREAD-TR", "Sourdough loaf", "FINISHED");
    const receiveFlour = (code: string) =>
      create(
        crew.operator,
        "receiveLot",
        { materialId: flour, quantity: "100", locationId: site, code, supplierId: mill, supplierLotCode },
        "lot",
      );
    const flourA = await receiveFlour(codes.flourA);
    await receiveFlour(codes.flourB);
    const [doughLot] = (
      await runWorkOrder(crew, {
        productId: dough,
        locationId: site,
        consume: [[flourA, "40"]],
        output: [[codes.dough, "38"]],
      })
    ).lots;
    const [breadLot] = (
      await runWorkOrder(crew, {
        productId: bread,
        locationId: site,
        consume: [[doughLot!, "38"]],
        output: [[codes.bread, "30"]],
      })
    ).lots;
    await crew.operator.expectData(
      `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`,
      {
        input: { customerId: shop, reference: "DN-5001", lines: [{ lotId: breadLot, quantity: "12" }] },
      },
    );

    // A serial-tracked control unit with a component lot built into one unit: its as-built tree.
    const unit = await material("CU-TR", "Control unit", "FINISHED", "SERIAL");
    const screws = await material("SCREW-TR", "M4 screws", "RAW");
    await create(
      crew.operator,
      "receiveLot",
      { materialId: unit, quantity: "2", locationId: site, code: codes.units, serialNumbers: ["CU-100", "CU-101"] },
      "lot",
    );
    const screwLot = await create(
      crew.operator,
      "receiveLot",
      { materialId: screws, quantity: "500", locationId: site, code: codes.screws },
      "lot",
    );
    const units = await crew.operator.expectData<{ lot: { serials: Array<{ id: string; serialNumber: string }> } }>(
      `query ($code: String!) { lot(code: $code) { serials { id serialNumber } } }`,
      { code: codes.units },
    );
    const cu100 = units.lot.serials.find((serial) => serial.serialNumber === "CU-100")!;
    await crew.operator.expectData(
      `mutation ($input: InstallComponentInput!) { installComponent(input: $input) { installation { id } } }`,
      { input: { parentSerialId: cu100.id, componentLotId: screwLot, quantity: "4" } },
    );
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  async function openAsManager(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, "manager-trace@plant.test", "manager-password-trace");
    await page.goto(new URL(path, stack.webUrl!).toString());
    return { page, errors };
  }

  it("draws the bread's genealogy both ways, narrows it by depth and direction, and clicks through to a lot", async () => {
    const { page, errors } = await openAsManager("/trace");
    await page.getByLabel("Lot code", { exact: true }).fill(codes.bread);
    await page.getByLabel("Lot code", { exact: true }).press("Enter");
    await page.waitForURL(`**/trace/${codes.bread}`);

    // The genealogy is projected from events: wait until the whole chain is on the graph.
    const node = (code: string) => page.getByTestId("trace-node").and(page.locator(`[data-lot-code="${code}"]`));
    await expect.poll(() => node(codes.flourA).count(), { timeout: 20_000 }).toBe(1);
    // React Flow shows a node only once it is measured and placed: visible means drawn.
    await node(codes.bread).waitFor({ state: "visible" });
    expect(await node(codes.dough).count()).toBe(1);
    expect(await node(codes.bread).count()).toBe(1);
    // The sister receipt under the same supplier code did not go into this bread.
    expect(await node(codes.flourB).count()).toBe(0);
    expect(
      await page
        .getByRole("status")
        .filter({ hasText: "3 lots in this trace: made from 2 lots, used in 0 lots" })
        .count(),
    ).toBe(1);
    const flourRow = page.getByRole("row").filter({ hasText: codes.flourA });
    expect(await flourRow.textContent()).toContain("2 up");
    await screenshot(page, "trace-graph");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // One link up: the flour is beyond it, and the page says so and offers more.
    await page.getByLabel("Depth (links)").selectOption("1");
    await expect.poll(() => node(codes.flourA).count(), { timeout: 10_000 }).toBe(0);
    await page.getByText("More lots lie beyond 1 link").waitFor();
    expect(page.url()).toContain("depth=1");
    await page.getByRole("button", { name: "Show 2 links" }).click();
    await node(codes.flourA).waitFor();

    // Downstream only from the flour: its page, then its trace.
    await page.getByText("Used in", { exact: true }).click();
    await expect.poll(() => node(codes.flourA).count(), { timeout: 10_000 }).toBe(0);
    await page.getByText("Both ways", { exact: true }).click();
    await node(codes.flourA).getByRole("link", { name: codes.flourA }).click();
    await page.waitForURL(`**/lots/${codes.flourA}`);
    await page.getByRole("heading", { name: codes.flourA }).waitFor();
    await page.getByRole("link", { name: "Trace every level" }).click();
    await page.waitForURL(`**/trace/${codes.flourA}`);
    await node(codes.bread).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("recalls a supplier's lot: every lot it reached, what is on hand and where, who received it, and the FSMA 204 file", async () => {
    const { page, errors } = await openAsManager("/trace");
    await page.getByLabel("Supplier lot code").fill(supplierLotCode);
    await page.getByLabel("Supplier lot code").press("Enter");
    await page.waitForURL("**/recall?supplierLotCode=*");
    await page.getByRole("heading", { name: `Recall of supplier lot ${supplierLotCode}` }).waitFor({ timeout: 20_000 });

    const summary = page.getByRole("list", { name: "Recall summary" });
    await expect.poll(async () => summary.textContent(), { timeout: 20_000 }).toContain("4 affected lots");
    expect(await summary.textContent()).toContain("1 shipments to 1 customer");
    const shipped = page.getByRole("region", { name: "Shipped" });
    expect(await shipped.getByRole("row").filter({ hasText: "Corner Shop" }).textContent()).toContain(
      `${codes.bread}: 12 kg`,
    );
    const onHand = page.getByRole("region", { name: /^On hand/ });
    expect(await onHand.getByRole("row").filter({ hasText: codes.bread }).textContent()).toContain(
      "Warehouse 1 (WH-1)",
    );
    expect(await onHand.getByRole("row").filter({ hasText: codes.flourB }).textContent()).toContain("100 kg");
    await screenshot(page, "recall-supplier-lot");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The FSMA 204 spreadsheet of one receipt, downloaded with the manager's token.
    const files = page.getByRole("region", { name: "Files for the authorities" });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      files
        .locator("div", { hasText: `From lot ${codes.flourA}` })
        .last()
        .getByRole("button", { name: "FSMA 204 spreadsheet (downstream)" })
        .click(),
    ]);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv).toContain(codes.bread);
    expect(csv).toContain("Corner Shop");
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("shows a serial unit's components as built, with a link to each component's lot", async () => {
    const { page, errors } = await openAsManager(`/trace/${codes.units}`);
    const asBuilt = page.getByRole("region", { name: "As built" });
    await asBuilt.getByLabel("Serial unit (2)").selectOption({ label: "CU-100" });
    const tree = asBuilt.getByTestId("as-built-tree");
    await expect
      .poll(async () => (await tree.count()) && tree.textContent(), { timeout: 20_000 })
      .toContain(codes.screws);
    expect(await tree.textContent()).toContain(`4 kg of M4 screws from lot ${codes.screws}`);
    await screenshot(page, "trace-as-built");
    await asBuilt.getByLabel("Serial unit (2)").selectOption({ label: "CU-101" });
    await asBuilt.getByText("No component is installed in CU-101.").waitFor({ timeout: 10_000 });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("says plainly when nothing matches", async () => {
    const { page, errors } = await openAsManager("/recall?supplierLotCode=NO-SUCH-CODE");
    await page.getByText("No lot was received under the supplier lot code NO-SUCH-CODE.").waitFor({ timeout: 15_000 });
    await page.goto(new URL("/trace/NO-SUCH-LOT", stack.webUrl!).toString());
    await page.getByRole("heading", { name: "No lot NO-SUCH-LOT" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "trace-not-found");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
