import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, type PlantCrew } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * The production screen against the real stack in embedded mode: an operator starts a released
 * work order's run, consumes by scanning, meets each refusal at the scan field, records output, is
 * stopped by a blocking gate until quality passes it, completes the run with its mass balance and
 * prints the output's label; a manager plans and releases a work order; the console on a 1024×768
 * tablet from a shared link.
 */
describe("web: production", () => {
  let stack: Stack;
  let browser: Browser;
  let crew: PlantCrew;
  let gateId: string;
  let lineId: string;
  let flour: string;
  let bread: string;
  let site: string;

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    crew = await hireCrew(anonymous, admin, "production");
    site = await create(admin, "createLocation", { code: "PLANT", name: "Plant", kind: "SITE" }, "location");
    await create(
      admin,
      "createLocation",
      { code: "FG-1", name: "Finished goods bay", kind: "BIN", parentId: site },
      "location",
    );
    lineId = await create(admin, "createLine", { code: "L3", name: "Bread line 3" }, "line");
    const material = (sku: string, name: string, kind: string) =>
      create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    flour = await material("FLOUR", "Wheat flour", "RAW");
    const salt = await material("SALT", "Sea salt", "RAW");
    bread = await material("BREAD", "Sourdough loaf", "FINISHED");
    gateId = await create(
      admin,
      "createQcGate",
      { name: "Metal detector", blocking: true, criticalControlPoint: true, characteristics: [] },
      "gate",
    );
    const workOrderId = await create(
      crew.manager,
      "createWorkOrder",
      {
        productId: bread,
        plannedQuantity: "200",
        lineId,
        phases: [{ name: "Mix" }, { name: "Bake", gateId }, { name: "Pack" }],
        components: [{ materialId: flour, quantity: "120" }],
      },
      "workOrder",
    );
    await create(crew.manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    const receive = (materialId: string, code: string, quantity: string) =>
      create(crew.operator, "receiveLot", { materialId, quantity, locationId: site, code }, "lot");
    await receive(flour, "FL-PROD-1", "100");
    const held = await receive(flour, "FL-PROD-2", "50");
    await receive(salt, "SALT-PROD-1", "10");
    await crew.manager.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId: held, reason: "Supplier recall notice", propagate: false },
    });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  function collectErrors(page: Page): string[] {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    return errors;
  }

  async function expectAccessible(page: Page) {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  /** Types a code into the focused scan field as a scanner does: the characters, then Enter. */
  async function scan(page: Page, code: string) {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("scan-lot");
    await page.keyboard.type(code);
    await page.keyboard.press("Enter");
  }

  async function consume(page: Page, code: string, quantity?: string) {
    await scan(page, code);
    const pending = page.getByRole("form", { name: `Consume from lot ${code}` });
    await pending.waitFor();
    if (quantity) await pending.getByLabel(/Quantity/).fill(quantity);
    await pending.getByRole("button", { name: /^Consume/ }).click();
  }

  it("runs a work order at the line: scan, refusals, output, a blocking gate, completion, mass balance and label", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    await signIn(page, stack.webUrl!, "operator-production@plant.test", "operator-password-production");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Production", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/production");

    const row = page.getByTestId("work-order-row").filter({ hasText: "Sourdough loaf" });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain("Bread line 3 (L3)");
    expect(await row.textContent()).toContain("gate: Metal detector");
    // Planning is for managers: an operator does not see it.
    expect(await page.getByRole("button", { name: "+ New work order" }).count()).toBe(0);
    await screenshot(page, "production-work-orders");
    await expectAccessible(page);

    await row.getByRole("button", { name: /Start a run/ }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/production/runs/"), { timeout: 15_000 });
    await page.getByRole("heading", { level: 1, name: /Sourdough loaf/ }).waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    const message = page.getByTestId("scan-message");

    // The scanner: code, Enter; the quantity defaults to what is on hand and is edited to 60.
    await scan(page, "FL-PROD-1");
    const pending = page.getByRole("form", { name: "Consume from lot FL-PROD-1" });
    await pending.waitFor();
    expect(await pending.getByLabel(/Quantity/).inputValue()).toBe("100");
    await page.waitForFunction(() => document.activeElement?.id === "scan-lot");
    await pending.getByLabel(/Quantity/).fill("60");
    await pending.getByRole("button", { name: /^Consume/ }).dblclick();
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain("Consumed 60 kg of FL-PROD-1");
    expect(await message.textContent()).toContain("40 kg left");
    await page.getByTestId("consumption").filter({ hasText: "FL-PROD-1" }).waitFor();
    // A double tap is one attempt: one consumption, 60 kg.
    await page.waitForTimeout(1000);
    expect(await page.getByTestId("consumption").count()).toBe(1);
    await page.waitForFunction(() => document.activeElement?.id === "scan-lot");
    await screenshot(page, "production-run-consumed");
    await expectAccessible(page);

    // Each refusal reads at the field.
    await consume(page, "FL-PROD-2");
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain("FL-PROD-2 is on hold");
    expect(await message.textContent()).toContain("Supplier recall notice");
    expect(await message.getAttribute("role")).toBe("alert");
    await screenshot(page, "production-refusal-on-hold");
    await expectAccessible(page);

    await scan(page, "NO-SUCH-LOT");
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain("No lot has the code NO-SUCH-LOT");

    await consume(page, "SALT-PROD-1");
    await expect
      .poll(() => message.textContent(), { timeout: 10_000 })
      .toContain("Sea salt is not in the bill of materials");

    await consume(page, "FL-PROD-1", "70");
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain("holds 40 kg");
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await page.getByTestId("consumption").count()).toBe(1);

    // Output: 59 kg of bread into the finished goods bay.
    const output = page.getByRole("region", { name: "Record output" });
    await output.getByLabel(/Quantity/).fill("59");
    await output.getByLabel(/Lot code/).fill("BR-PROD-1");
    await output.getByLabel("Put it at").selectOption({ label: "Finished goods bay (FG-1)" });
    await output.getByRole("button", { name: "Record output" }).click();
    await page.getByTestId("output").filter({ hasText: "BR-PROD-1" }).waitFor({ timeout: 10_000 });

    // Mix → Bake; leaving Bake needs a PASS at the metal detector.
    const phases = page.getByTestId("run-phase");
    await page.getByRole("button", { name: "Finish Mix, start the next" }).click();
    await expect.poll(() => phases.nth(1).getAttribute("aria-current"), { timeout: 10_000 }).toBe("step");
    await page.getByRole("button", { name: "Finish Bake, start the next" }).click();
    const refusal = page.getByTestId("phase-refusal");
    await refusal.waitFor({ timeout: 10_000 });
    expect(await refusal.textContent()).toContain("Blocked at gate Metal detector");
    expect(await refusal.textContent()).toContain("which closes phase 2 (Bake)");
    expect(await refusal.textContent()).toContain("Quality must record a PASS");
    expect(await phases.nth(1).getAttribute("aria-current")).toBe("step");
    await screenshot(page, "production-gate-blocked");
    await expectAccessible(page);

    // Quality passes the run elsewhere; the console shows it without a reload.
    const runId = page.url().split("/").pop()!;
    await crew.manager.expectData(
      `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`,
      { input: { gateId, runId, decision: "PASS" } },
    );
    await phases.nth(1).getByTitle("QC decision: PASS").waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "Finish Bake, start the next" }).click();
    await expect.poll(() => phases.nth(2).getAttribute("aria-current"), { timeout: 10_000 }).toBe("step");

    await page.getByRole("button", { name: "Complete run…" }).click();
    await page.getByRole("button", { name: "Complete the run" }).click();
    await page.getByTitle("Run status: COMPLETED").waitFor({ timeout: 10_000 });
    const balance = page.getByTestId("mass-balance");
    const line = balance.getByTestId("balance-line");
    await line.waitFor({ timeout: 15_000 });
    await expect.poll(() => line.textContent(), { timeout: 15_000 }).toContain("59");
    expect(await line.textContent()).toMatch(/^kg\s*60\s*59\s*1\b/);
    expect(await balance.textContent()).toContain("Within the 2 % tolerance");
    await screenshot(page, "production-run-completed");
    await expectAccessible(page);

    // The output's label: GS1-128 with AI (10), then DataMatrix, and only the label in print.
    await page.getByRole("button", { name: "Print the label of lot BR-PROD-1" }).click();
    const dialog = page.getByRole("dialog", { name: "Label for lot BR-PROD-1" });
    await dialog.waitFor();
    const barcode = dialog.getByTestId("label-barcode");
    await barcode.waitFor({ timeout: 10_000 });
    expect(await barcode.getAttribute("aria-label")).toBe("GS1-128 barcode of lot BR-PROD-1");
    expect(await barcode.locator("svg path").count()).toBeGreaterThan(0);
    const label = await dialog.getByTestId("lot-label").textContent();
    expect(label).toContain("BR-PROD-1");
    expect(label).toContain("Sourdough loaf");
    expect(label).toContain("59 kg");
    await screenshot(page, "production-label");
    await expectAccessible(page);
    await dialog.getByLabel("DataMatrix").check();
    await expect
      .poll(() => barcode.getAttribute("aria-label"), { timeout: 10_000 })
      .toBe("DataMatrix barcode of lot BR-PROD-1");
    expect(await barcode.locator("svg path").count()).toBeGreaterThan(0);
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    expect(await dialog.getByTestId("lot-label").isVisible()).toBe(true);
    expect(await dialog.getByRole("button", { name: "Print" }).isVisible()).toBe(false);
    await screenshot(page, "production-label-print");
    await page.emulateMedia({ media: "screen" });
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });

    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("lets a manager plan a work order and release it to the floor", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    await signIn(page, stack.webUrl!, "manager-production@plant.test", "manager-password-production");
    await page.goto(new URL("/production", stack.webUrl!).toString());
    await page.getByRole("button", { name: "+ New work order" }).click();
    const form = page.getByRole("form", { name: "New work order" });
    await form.getByLabel("Product").selectOption({ label: "Sourdough loaf (BREAD)" });
    await form.getByLabel(/Planned quantity/).fill("120");
    await form.getByLabel("Line").selectOption({ label: "Bread line 3 (L3)" });
    await form.getByLabel("Phase 1 name").fill("Mix and bake");
    await form.getByRole("button", { name: "+ Add a phase" }).click();
    await form.getByLabel("Phase 2 name").fill("Pack");
    await form.getByLabel("Phase 2 quality gate").selectOption({ label: "Gate: Metal detector (blocking)" });
    await screenshot(page, "production-new-work-order");
    await expectAccessible(page);
    await form.getByRole("button", { name: "Plan work order" }).click();
    await form.waitFor({ state: "detached", timeout: 10_000 });

    const planned = page
      .getByTestId("work-order-row")
      .filter({ hasText: "120 kg" })
      .filter({ has: page.getByTitle("Work order status: PLANNED") });
    await planned.waitFor({ timeout: 10_000 });
    await planned.getByRole("button", { name: /^Release/ }).click();
    const released = page.getByTestId("work-order-row").filter({ hasText: "120 kg" });
    await released.getByTitle("Work order status: RELEASED").waitFor({ timeout: 10_000 });
    expect(await released.getByRole("button", { name: /Start a run/ }).count()).toBe(1);
    await screenshot(page, "production-released");
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("records a serial-tracked output with one serial number per unit", async () => {
    const scale = await create(
      crew.manager,
      "createMaterial",
      { sku: "SCALE", name: "Bench scale", uom: "ea", kind: "FINISHED", tracking: "SERIAL" },
      "material",
    );
    const workOrderId = await create(
      crew.manager,
      "createWorkOrder",
      { productId: scale, plannedQuantity: "3", phases: [{ name: "Assemble" }] },
      "workOrder",
    );
    await create(crew.manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create(crew.operator, "startRun", { workOrderId }, "run");

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    await signIn(page, stack.webUrl!, "operator-production@plant.test", "operator-password-production");
    await page.goto(new URL(`/production/runs/${runId}`, stack.webUrl!).toString());
    const output = page.getByRole("region", { name: "Record output" });
    await output.waitFor({ timeout: 15_000 });
    await output.getByLabel(/Serial numbers/).fill("SN-0001\nSN-0002\n");
    expect(await output.textContent()).toContain("2 units of Bench scale");
    await output.getByLabel("Put it at").selectOption({ label: "Finished goods bay (FG-1)" });
    await output.getByRole("button", { name: "Record output" }).click();
    const recorded = page.getByTestId("output").filter({ hasText: "SN-0001, SN-0002" });
    await recorded.waitFor({ timeout: 10_000 });
    expect(await recorded.textContent()).toContain("2 ea");
    await screenshot(page, "production-serial-output");
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("opens a run from its link on a 1024×768 tablet", async () => {
    const workOrderId = await create(
      crew.manager,
      "createWorkOrder",
      { productId: bread, plannedQuantity: "80", lineId, phases: [{ name: "Mix" }, { name: "Bake", gateId }] },
      "workOrder",
    );
    await create(crew.manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create(crew.operator, "startRun", { workOrderId }, "run");
    await create(
      crew.operator,
      "receiveLot",
      { materialId: flour, quantity: "25", locationId: site, code: "FL-PROD-3" },
      "lot",
    );

    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors = collectErrors(page);
    await signIn(page, stack.webUrl!, "operator-production@plant.test", "operator-password-production");
    await page.goto(new URL(`/production/runs/${runId}`, stack.webUrl!).toString());
    await page.getByRole("heading", { level: 1, name: /Sourdough loaf/ }).waitFor({ timeout: 15_000 });
    // A tap elsewhere first: the scanner's characters still land in the scan field.
    await page.getByRole("heading", { name: /Phases/ }).click();
    await page.keyboard.type("FL-PROD-3");
    await page.keyboard.press("Enter");
    await page.getByRole("form", { name: "Consume from lot FL-PROD-3" }).waitFor();
    await screenshot(page, "production-console-1024");
    await expectAccessible(page);
    await page.getByRole("button", { name: /^Consume 25 kg/ }).click();
    await page.getByTestId("consumption").filter({ hasText: "FL-PROD-3" }).waitFor({ timeout: 10_000 });
    // The console fits the tablet's width: nothing of it is off screen.
    const box = await page.getByRole("article").boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
    await screenshot(page, "production-console-1024-consumed");

    // Every work order on the tablet: the one in progress opens its run, a finished one links its run.
    await page.getByRole("link", { name: "Production", exact: true }).first().click();
    await page.waitForURL((url) => url.pathname === "/production");
    await page.getByLabel("Status").selectOption({ label: "All statuses" });
    const rows = page.getByTestId("work-order-row");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    const running = rows.filter({ hasText: "80 kg" });
    expect(await running.getByRole("link", { name: "Open run" }).getAttribute("href")).toBe(
      `/production/runs/${runId}`,
    );
    expect(
      await rows
        .filter({ hasText: "200 kg" })
        .getByRole("list", { name: /Earlier runs/ })
        .count(),
    ).toBe(1);
    await screenshot(page, "production-work-orders-1024");
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
