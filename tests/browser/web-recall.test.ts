import { readFile } from "node:fs/promises";
import type { Browser, Download, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot as fullPage, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, runWorkOrder, type PlantCrew } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * The recall workspace (/recall, /recall/open, /recall/[id]) against the real stack in embedded
 * mode. Flour from North Mill (supplier lot MILL-2026-7) went 40 % into dough with water, the
 * dough into bread, and the bread to two customers. A quality manager runs a mock-recall drill
 * from the flour's lot (nothing held, every lot and customer found, the ledger at 100 %, the
 * report downloaded), then opens a real recall of the supplier's lot: everything it reached is
 * held, each customer is told, and the case closes only with a signature. An auditor reads the
 * cases and their files; an operator may open none.
 */
describe("web: the recall workspace", () => {
  let stack: Stack;
  let browser: Browser;
  let crew: PlantCrew;
  const supplierLotCode = "MILL-2026-7";
  const codes = { flour: "FL-RC-1", laterFlour: "FL-RC-2", water: "WA-RC-1", dough: "DO-RC-1", bread: "BR-RC-1" };
  const people = {
    manager: { email: "manager-recall@plant.test", password: "manager-password-recall" },
    operator: { email: "operator-recall@plant.test", password: "operator-password-recall" },
    auditor: { email: "auditor-recall@plant.test", password: "auditor-password-recall" },
  };
  const caseIds: { drill?: string; recall?: string } = {};
  /** Receives flour under the supplier's lot code, as the goods-in desk does. */
  let receiveFlour: (code: string, quantity: string) => Promise<string>;

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    crew = await hireCrew(anonymous, admin, "recall");
    await create(admin, "createUser", { ...people.auditor, name: "AUDITOR recall", roles: ["AUDITOR"] }, "user");
    const site = await create(admin, "createLocation", { code: "BAK", name: "Bakery", kind: "SITE" }, "location");
    const mill = await create(admin, "createParty", { code: "MILL", name: "North Mill", kind: "SUPPLIER" }, "party");
    const shop = await create(admin, "createParty", { code: "SHOP", name: "Corner Shop", kind: "CUSTOMER" }, "party");
    const deli = await create(admin, "createParty", { code: "DELI", name: "City Deli", kind: "CUSTOMER" }, "party");
    const material = (sku: string, name: string, kind: string) =>
      create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    const flour = await material("FLOUR-RC", "Wheat flour", "RAW");
    const water = await material("WATER-RC", "Water", "RAW");
    const dough = await material("DOUGH-RC", "Bread dough", "INTERMEDIATE");
    const bread = await material("BREAD-RC", "Sourdough loaf", "FINISHED");
    receiveFlour = (code, quantity) =>
      create(
        crew.operator,
        "receiveLot",
        { materialId: flour, quantity, locationId: site, code, supplierId: mill, supplierLotCode },
        "lot",
      );
    const flourLot = await receiveFlour(codes.flour, "100");
    const waterLot = await create(
      crew.operator,
      "receiveLot",
      { materialId: water, quantity: "500", locationId: site, code: codes.water },
      "lot",
    );
    const [doughLot] = (
      await runWorkOrder(crew, {
        productId: dough,
        locationId: site,
        consume: [
          [flourLot, "40"],
          [waterLot, "60"],
        ],
        output: [[codes.dough, "95"]],
      })
    ).lots;
    const [breadLot] = (
      await runWorkOrder(crew, {
        productId: bread,
        locationId: site,
        consume: [[doughLot!, "95"]],
        output: [[codes.bread, "90"]],
      })
    ).lots;
    const ship = (customerId: string, reference: string, quantity: string) =>
      crew.operator.expectData(`mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`, {
        input: { customerId, reference, lines: [{ lotId: breadLot, quantity }] },
      });
    await ship(shop, "DN-7001", "12");
    await ship(deli, "DN-7002", "6");
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  async function openAs(who: keyof typeof people, viewport = { width: 1366, height: 900 }) {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, people[who].email, people[who].password);
    return { page, errors };
  }

  async function goToRecalls(page: Page) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Recalls" }).click();
    await page.waitForURL((url) => url.pathname === "/recall");
    await page.getByRole("heading", { name: "Recalls", level: 1 }).waitFor({ timeout: 15_000 });
  }

  /** A whole-page screenshot from the top, so the sticky header sits where a person sees it. */
  async function screenshot(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await fullPage(page, name);
  }

  const tab = (page: Page, name: RegExp) => page.getByRole("tab", { name });
  const panel = (page: Page) => page.getByRole("tabpanel");
  const summary = (page: Page) => page.getByRole("list", { name: "Case summary" });

  async function downloaded(page: Page, button: Locator): Promise<Buffer> {
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), button.click()]);
    return readFile((await (download as Download).path())!);
  }

  async function lotStatus(code: string): Promise<string> {
    const data = await crew.manager.expectData<{ lot: { status: string } }>(
      `query ($code: String!) { lot(code: $code) { status } }`,
      { code },
    );
    return data.lot.status;
  }

  it("runs a mock-recall drill: nothing held, every lot and customer found, the ledger at 100 %, the report", async () => {
    const { page, errors } = await openAs("manager");
    await goToRecalls(page);
    await page.getByText("No recall or drill yet.").waitFor({ timeout: 15_000 });
    await screenshot(page, "recall-list-empty");
    await page.getByRole("link", { name: "Run a mock-recall drill" }).click();
    await page.getByRole("heading", { name: "Run a mock-recall drill", level: 1 }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole("radio", { name: /Mock-recall drill/ }).isChecked()).toBe(true);
    await page.goBack();

    // The quick look-up first (nothing opened), then a drill from it, the lot code carried over.
    await page.getByLabel("Code to look up").fill(codes.flour);
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByRole("heading", { name: `Recall from lot ${codes.flour}` }).waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByRole("list", { name: "Recall summary" }).textContent(), { timeout: 20_000 })
      .toContain("3 affected lots");
    await screenshot(page, "recall-lookup");
    await page.getByRole("link", { name: "Run a drill from it" }).click();
    await page.getByRole("heading", { name: "Run a mock-recall drill", level: 1 }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel("Lot code", { exact: true }).inputValue()).toBe(codes.flour);
    await page.getByText("✓ Wheat flour").waitFor({ timeout: 15_000 });
    const preview = page.getByTestId("recall-preview");
    await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toContain("3 affected lots");
    expect(await preview.textContent()).toContain("2 shipments to 2 customers");
    expect(await preview.textContent()).toContain("A drill holds nothing");
    await page.getByLabel("Reason").fill("Yearly mock recall 2026");
    await screenshot(page, "recall-open-drill");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Run the drill" }).click();

    await page.waitForURL(/\/recall\/[0-9a-f-]{36}/, { timeout: 30_000 });
    caseIds.drill = new URL(page.url()).pathname.split("/").pop();
    await page.getByRole("heading", { name: /^DRILL-\d{4}-\d{4}/, level: 1 }).waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => /^DRILL-\d{4}-\d{4} · Recall drill · Lotgraph$/.test(document.title));
    expect(await summary(page).textContent()).toContain("3 affected lots");
    expect(await summary(page).textContent()).toContain("100 % of the source found");
    expect(await summary(page).textContent()).toContain("2 customers reached");

    // Scope: the genealogy from the flour, on the graph and in the table.
    const node = (code: string) => page.getByTestId("trace-node").and(page.locator(`[data-lot-code="${code}"]`));
    await node(codes.bread).waitFor({ state: "visible", timeout: 20_000 });
    expect(await node(codes.flour).count()).toBe(1);
    expect(await node(codes.water).count()).toBe(0);
    expect(await page.getByTestId("scope-lot").count()).toBe(3);
    await screenshot(page, "recall-case-scope");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Exposure by customer: 40 % of the bread is flour.
    await tab(page, /^Customers/).click();
    const shop = panel(page).getByTestId("exposed-customer").filter({ hasText: "Corner Shop" });
    await shop.waitFor({ timeout: 10_000 });
    expect(await shop.textContent()).toContain("DN-7001");
    expect(await shop.textContent()).toContain("4.8 kg");
    expect(await panel(page).getByTestId("exposed-customer").filter({ hasText: "City Deli" }).textContent()).toContain(
      "2.4 kg",
    );
    expect(
      await panel(page)
        .getByRole("button", { name: /Record a notice/ })
        .count(),
    ).toBe(0);
    await screenshot(page, "recall-case-customers");

    await tab(page, /^Exposure by lot/).click();
    const doughRow = panel(page).getByTestId("exposure-lot").filter({ hasText: codes.dough });
    await doughRow.waitFor({ timeout: 10_000 });
    expect(await doughRow.textContent()).toContain("40 %");
    expect(await doughRow.textContent()).toContain("38 kg");
    await screenshot(page, "recall-case-exposure-lots");

    await tab(page, /^Reconciliation/).click();
    expect(await panel(page).getByTestId("recovery").textContent()).toContain("100 %");
    const kg = panel(page).getByTestId("reconciliation-line").filter({ hasText: "kg" });
    expect(await kg.textContent()).toContain("100 kg");
    await screenshot(page, "recall-case-reconciliation");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await tab(page, /^Notices/).click();
    await panel(page).getByText("A drill tells nobody").waitFor();
    await tab(page, /^Holds/).click();
    await panel(page).getByText("A drill places no holds").waitFor();
    expect(await lotStatus(codes.bread)).toBe("AVAILABLE");

    // The drill report, downloaded with the manager's token.
    const files = page.getByRole("group", { name: "Files" });
    const pdf = await downloaded(page, files.getByRole("button", { name: "Drill report (PDF)" }));
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const csv = (await downloaded(page, files.getByRole("button", { name: "Drill report (CSV)" }))).toString("utf8");
    expect(csv).toContain(codes.bread);
    expect(csv).toContain("Corner Shop");

    // A drill closes without notices.
    await page.getByRole("button", { name: "Close the drill…" }).click();
    const closing = page.getByRole("dialog", { name: /^Close DRILL-/ });
    await closing.getByLabel("Why it can close").fill("Answered in time; every lot and customer found");
    await closing.getByLabel("Your password").fill(people.manager.password);
    await closing.getByRole("button", { name: "Sign and close the drill" }).click();
    await closing.waitFor({ state: "detached", timeout: 15_000 });
    await page.getByText(/DRILL-\d{4}-\d{4} closed and signed/).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("opens a real recall of the supplier's lot: held at once, each customer told, closed only with a signature", async () => {
    const { page, errors } = await openAs("manager");
    await goToRecalls(page);
    await page.getByRole("link", { name: "Open a recall" }).click();
    await page.getByRole("heading", { name: "Open a recall", level: 1 }).waitFor({ timeout: 15_000 });
    await page.getByText("A supplier's lot code", { exact: true }).click();

    // A code nobody received is said in words, and nothing can be opened from it.
    await page.getByLabel("Supplier lot code").fill("NO-SUCH-CODE");
    await page.getByLabel("Supplier lot code").press("Enter");
    await page
      .getByRole("alert")
      .filter({ hasText: "No lot was received under the supplier lot code NO-SUCH-CODE." })
      .waitFor({ timeout: 15_000 });
    expect(await page.getByRole("button", { name: /^Open the recall/ }).isDisabled()).toBe(true);
    await screenshot(page, "recall-open-not-found");

    await page.getByLabel("Supplier lot code").fill(supplierLotCode);
    await page.getByLabel("Supplier lot code").press("Enter");
    const preview = page.getByTestId("recall-preview");
    await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toContain("3 affected lots");
    expect(await preview.textContent()).toContain("Opening the recall holds all 3 lots at once");
    const open = page.getByRole("button", { name: "Open the recall and hold 3 lots" });
    expect(await open.isDisabled()).toBe(true);
    await page.getByText("Say why, for the record.").waitFor();
    await page.getByLabel("Reason").fill("North Mill notice: possible Salmonella in MILL-2026-7");
    expect(await open.isDisabled()).toBe(false);
    await screenshot(page, "recall-open-form");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await open.click();

    await page.waitForURL(/\/recall\/[0-9a-f-]{36}/, { timeout: 30_000 });
    caseIds.recall = new URL(page.url()).pathname.split("/").pop();
    await page.getByRole("heading", { name: /^RC-\d{4}-\d{4}/, level: 1 }).waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => /^RC-\d{4}-\d{4} · Recall · Lotgraph$/.test(document.title));
    expect(await summary(page).textContent()).toContain("0 of 2 customers told");
    const closeButton = page.getByRole("button", { name: "Close the recall…" });
    expect(await closeButton.isDisabled()).toBe(true);
    await page.getByText("2 customers have not been told yet.").waitFor();
    expect(await page.getByTestId("open-action").count()).toBeGreaterThanOrEqual(2);

    // Held at once: the supplier's code, and everything made from it.
    expect(await lotStatus(codes.bread)).toBe("ON_HOLD");
    expect(await lotStatus(codes.water)).not.toBe("ON_HOLD");
    await tab(page, /^Holds/).click();
    const supplierHold = panel(page).getByTestId("recall-supplier-hold");
    await supplierHold.waitFor({ timeout: 15_000 });
    expect(await supplierHold.textContent()).toContain(supplierLotCode);
    expect(await supplierHold.textContent()).toContain("North Mill");
    await screenshot(page, "recall-case-holds");

    // A later delivery under the held code arrives on hold and joins the case, marked found later.
    await receiveFlour(codes.laterFlour, "50");
    expect(await lotStatus(codes.laterFlour)).toBe("ON_HOLD");
    await tab(page, /^Scope/).click();
    const node = (code: string) => page.getByTestId("trace-node").and(page.locator(`[data-lot-code="${code}"]`));
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId("scope-lot").first().waitFor({ timeout: 20_000 });
          return page.getByTestId("scope-lot").filter({ hasText: codes.laterFlour }).count();
        },
        { timeout: 60_000 },
      )
      .toBe(1);
    expect(await page.getByTestId("scope-lot").filter({ hasText: codes.laterFlour }).textContent()).toContain(
      "Found later",
    );
    await node(codes.laterFlour).waitFor({ state: "visible", timeout: 15_000 });
    expect(await node(codes.laterFlour).textContent()).toContain("Found later");
    expect(await summary(page).textContent()).toContain("3 when opened, 1 found later");
    await screenshot(page, "recall-case-scope-found-later");

    // Corner Shop told from its row; City Deli from the checklist, acknowledged at once.
    await tab(page, /^Customers/).click();
    await panel(page).getByRole("button", { name: "Record a notice for Corner Shop" }).click();
    const dialog = page.getByRole("dialog", { name: "Record a notice" });
    expect(await dialog.getByLabel("Customer").inputValue()).not.toBe("");
    await dialog.getByLabel("Note").fill("Phoned the buyer; e-mail to quality@cornershop");
    await screenshot(page, "recall-notice-dialog");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Record notice" }).click();
    await dialog.waitFor({ state: "detached", timeout: 15_000 });
    await page.getByText("Notice to Corner Shop recorded.").waitFor({ timeout: 10_000 });
    await expect.poll(() => summary(page).textContent(), { timeout: 10_000 }).toContain("1 of 2 customers told");

    await page.getByRole("button", { name: "Record notice for City Deli" }).click();
    await dialog.getByLabel("Acknowledged at").fill(await dialog.getByLabel("Told at").inputValue());
    await dialog.getByRole("button", { name: "Record notice" }).click();
    await dialog.waitFor({ state: "detached", timeout: 15_000 });
    await expect.poll(() => summary(page).textContent(), { timeout: 10_000 }).toContain("2 of 2 customers told");
    await tab(page, /^Notices/).click();
    expect(await panel(page).getByTestId("recall-notice").count()).toBe(2);
    await screenshot(page, "recall-case-notices");

    // Closing: a wrong password is refused in the dialog, then the signed close.
    expect(await closeButton.isDisabled()).toBe(false);
    await closeButton.click();
    const closing = page.getByRole("dialog", { name: /^Close RC-/ });
    await closing.getByLabel("Why it can close").fill("Both customers told; bread on hand to be scrapped");
    await closing.getByLabel("Your password").fill("not-my-password");
    await closing.getByRole("button", { name: "Sign and close the recall" }).click();
    await closing.getByRole("alert").filter({ hasText: "Wrong password" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "recall-close-dialog");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await closing.getByLabel("Your password").fill(people.manager.password);
    await closing.getByRole("button", { name: "Sign and close the recall" }).click();
    await closing.waitFor({ state: "detached", timeout: 15_000 });
    await page.getByText(/Signed by MANAGER recall/).waitFor({ timeout: 15_000 });
    expect(await page.getByText("“recall complete”").count()).toBe(1);
    await screenshot(page, "recall-case-closed");
    // Closing releases nothing: quality does.
    expect(await lotStatus(codes.bread)).toBe("ON_HOLD");

    // The list: both cases, then the drills alone.
    await goToRecalls(page);
    const rows = page.getByTestId("recall-case-row");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await rows.filter({ hasText: /^RC-/ }).textContent()).toContain("2 of 2");
    await screenshot(page, "recall-list");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByText("Drills", { exact: true }).click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await rows.textContent()).toMatch(/DRILL-/);
    expect(page.url()).toContain("kind=drill");
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("lets an auditor read the cases and their files, and change nothing", async () => {
    const { page, errors } = await openAs("auditor");
    await goToRecalls(page);
    await expect.poll(() => page.getByTestId("recall-case-row").count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByRole("link", { name: "Open a recall" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Run a mock-recall drill" }).count()).toBe(0);
    await page.getByRole("link", { name: /^RC-/ }).click();
    await page.getByRole("heading", { name: /^RC-\d{4}-\d{4}/, level: 1 }).waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => /^RC-\d{4}-\d{4} · Recall · Lotgraph$/.test(document.title));
    expect(await page.getByRole("button", { name: /^Close/ }).count()).toBe(0);
    await tab(page, /^Notices/).click();
    await panel(page).getByTestId("recall-notice").first().waitFor({ timeout: 10_000 });
    expect(await page.getByRole("button", { name: /Record/ }).count()).toBe(0);
    const zip = await downloaded(page, page.getByRole("button", { name: "Evidence bundle (ZIP)" }));
    expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");
    await screenshot(page, "recall-case-auditor");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(new URL("/recall/open", stack.webUrl!).toString());
    await page.getByText("Only a quality manager may open a recall or run a drill.").waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("lets an operator look a lot up, but not open a recall", async () => {
    const { page, errors } = await openAs("operator");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Floor" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Recalls" }).count()).toBe(0);
    await page.goto(new URL("/recall", stack.webUrl!).toString());
    await page.getByText("Recall cases are run by quality managers and read by auditors.").waitFor({ timeout: 15_000 });
    await page.getByLabel("Code to look up").fill(codes.flour);
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByRole("heading", { name: `Recall from lot ${codes.flour}` }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole("link", { name: /Open a recall case/ }).count()).toBe(0);
    await page.goto(new URL(`/recall/open?lot=${codes.flour}`, stack.webUrl!).toString());
    await page.getByText("Only a quality manager may open a recall or run a drill.").waitFor({ timeout: 15_000 });
    await page.goto(new URL(`/recall/${caseIds.recall}`, stack.webUrl!).toString());
    await page.getByText("Recall cases are run by quality managers and read by auditors.").waitFor({ timeout: 15_000 });
    expect(
      await crew.operator.expectErrorCode(
        `mutation ($input: OpenRecallInput!) { openRecall(input: $input) { recallCase { id } } }`,
        { input: { supplierLotCode, reason: "Not mine to open" } },
      ),
    ).toBe("FORBIDDEN");
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("fits a tablet: the case page, the list and the open form", async () => {
    const { page, errors } = await openAs("manager", { width: 1024, height: 768 });
    await page.goto(new URL(`/recall/${caseIds.recall}#customers`, stack.webUrl!).toString());
    await page.getByRole("heading", { name: /^RC-\d{4}-\d{4}/, level: 1 }).waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => /^RC-\d{4}-\d{4} · Recall · Lotgraph$/.test(document.title));
    await panel(page).getByTestId("exposed-customer").first().waitFor({ timeout: 10_000 });
    // Nothing wider than the screen: the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await screenshot(page, "recall-case-tablet");
    for (const [path, name] of [
      ["/recall", "recall-list-tablet"],
      ["/recall/open", "recall-open-tablet"],
    ] as const) {
      await page.goto(new URL(path, stack.webUrl!).toString());
      await page.getByRole("heading", { level: 1 }).waitFor({ timeout: 15_000 });
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(1024);
      await screenshot(page, name);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
