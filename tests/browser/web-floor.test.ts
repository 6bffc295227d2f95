import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, type PlantCrew } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * The floor dashboard (/) against the real stack in embedded mode: a run in progress on its line
 * with its phase and gate, and a hold and a decision made elsewhere appearing without a reload.
 */
describe("web: the floor dashboard", () => {
  let stack: Stack;
  let browser: Browser;
  let crew: PlantCrew;
  let gateId: string;
  let moistureGateId: string;
  let flourLot: string;

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    crew = await hireCrew(anonymous, admin, "floor");
    const site = await create(admin, "createLocation", { code: "PLANT", name: "Plant", kind: "SITE" }, "location");
    const lineId = await create(admin, "createLine", { code: "L2", name: "Bread line 2" }, "line");
    const material = (sku: string, name: string, kind: string) =>
      create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    const flour = await material("FLOUR", "Wheat flour", "RAW");
    const bread = await material("BREAD", "Sourdough loaf", "FINISHED");
    gateId = await create(
      admin,
      "createQcGate",
      { name: "Metal detector", blocking: true, criticalControlPoint: true, characteristics: [] },
      "gate",
    );
    moistureGateId = await create(
      admin,
      "createQcGate",
      { name: "Moisture check", blocking: false, criticalControlPoint: false, characteristics: [] },
      "gate",
    );
    const workOrderId = await create(
      crew.manager,
      "createWorkOrder",
      {
        productId: bread,
        plannedQuantity: "200",
        lineId,
        phases: [{ name: "Mix and bake" }, { name: "Pack", gateId }],
      },
      "workOrder",
    );
    await create(crew.manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create(crew.operator, "startRun", { workOrderId }, "run");
    flourLot = await create(
      crew.operator,
      "receiveLot",
      { materialId: flour, quantity: "100", locationId: site, code: "FL-FLOOR-1" },
      "lot",
    );
    await create(crew.operator, "consumeLot", { runId, lotId: flourLot, quantity: "60" }, "consumption");
    // 50 + 0.1 + 0.2 as doubles is 50.300000000000004: the screens must add exactly.
    for (const [quantity, code] of [
      ["50", "BR-FLOOR-1"],
      ["0.1", "BR-FLOOR-2"],
      ["0.2", "BR-FLOOR-3"],
    ]) {
      await crew.operator.expectData(
        `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
        { input: { runId, quantity, code, locationId: site } },
      );
    }
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  it("shows the run on its line with its phase and gate, and a hold and a check made elsewhere without a reload", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, "manager-floor@plant.test", "manager-password-floor");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Floor", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");

    const order = page.getByTestId("work-order");
    await order.waitFor({ timeout: 15_000 });
    await page.getByRole("heading", { name: "Bread line 2 (L2)" }).waitFor();
    expect(await order.textContent()).toContain("Phase 1 of 2: Mix and bake");
    expect(await order.textContent()).toContain("Metal detector: awaiting check");
    expect(await order.textContent()).toContain("50.3 of 200 kg (25 %)");
    expect(await page.getByTestId("open-hold").count()).toBe(0);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });

    // Elsewhere in the plant, on the quality screen in another browser: quality holds the bread.
    const quality = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(quality, stack.webUrl!, "manager-floor@plant.test", "manager-password-floor");
    await quality.goto(new URL("/quality#holds", stack.webUrl!).toString());
    await quality.getByRole("button", { name: "Place a hold…" }).click();
    const holdForm = quality.getByRole("form", { name: "Hold a lot" });
    await holdForm.getByLabel("Lot code").fill("BR-FLOOR-1");
    await holdForm.getByLabel("Lot code").press("Enter");
    await holdForm.getByText("Sourdough loaf").waitFor({ timeout: 10_000 });
    await holdForm.getByLabel("Reason").fill("Foreign body reported by a customer");
    await holdForm.getByRole("button", { name: "Place hold" }).click();
    await quality.getByText("BR-FLOOR-1 is on hold.").waitFor({ timeout: 10_000 });
    await quality.close();
    await page.getByTestId("open-hold").filter({ hasText: "BR-FLOOR-1" }).waitFor({ timeout: 10_000 });
    // …and a check fails the flour it was made from.
    await crew.operator.expectData(
      `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`,
      { input: { gateId: moistureGateId, lotId: flourLot, decision: "FAIL", notes: "moisture 19 %" } },
    );
    await page.getByTestId("latest-decision").filter({ hasText: "Moisture check" }).waitFor({ timeout: 10_000 });
    await screenshot(page, "floor-dashboard");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("runs a line's display on a service account token: paired once, readable across the room, live", async () => {
    const admin = new TestClient(stack.gatewayUrl);
    const signedIn = admin.as(await admin.login(stack.admin.email, stack.admin.password!));
    const display = await signedIn.expectData<{ createServiceAccount: { token: string } }>(
      `mutation ($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { token } }`,
      { input: { name: "Line 2 display", roles: ["VIEWER"] } },
    );
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(new URL("/floor/L2", stack.webUrl!).toString());
    await page.getByLabel("Display token").fill(display.createServiceAccount.token);
    await page.getByRole("button", { name: "Start the display" }).click();

    const kiosk = page.getByTestId("kiosk");
    await page.getByRole("heading", { name: "Bread line 2" }).waitFor({ timeout: 15_000 });
    expect(await kiosk.textContent()).toContain("Sourdough loaf");
    expect(await kiosk.textContent()).toContain("50.3 / 200 kg");
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    const holdsBefore = Number(await kiosk.locator("footer strong").first().textContent());

    const placedAt = Date.now();
    await crew.manager.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId: flourLot, reason: "Display check", propagate: false },
    });
    await expect
      .poll(async () => Number(await kiosk.locator("footer strong").first().textContent()), { timeout: 10_000 })
      .toBeGreaterThan(holdsBefore);
    console.log(`kiosk: a hold placed elsewhere shown ${Date.now() - placedAt} ms later, without a reload`);
    await screenshot(page, "kiosk-line");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
