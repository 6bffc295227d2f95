import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, runWorkOrder, type PlantCrew } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * The quality screen (/quality) against the real stack in embedded mode: an operator records a
 * measured decision through the form (an out-of-limits PASS refused next to its field); a quality
 * manager holds a lot, fails a release with a wrong password, releases it signed, opens a
 * nonconformance and signs its disposition; the control charts show the measurements and Cp/Cpk.
 */
describe("web: the quality screen", () => {
  let stack: Stack;
  let browser: Browser;
  let crew: PlantCrew;
  let flourLot: string;
  const codes = { flour: "FL-Q-1", bread: "BR-Q-1" };
  const people = {
    operator: { email: "operator-quality@plant.test", password: "operator-password-quality" },
    manager: { email: "manager-quality@plant.test", password: "manager-password-quality" },
  };

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    crew = await hireCrew(anonymous, admin, "quality");
    const site = await create(admin, "createLocation", { code: "QA", name: "Bakery", kind: "SITE" }, "location");
    const lineId = await create(admin, "createLine", { code: "L3", name: "Bread line 3" }, "line");
    await create(admin, "createParty", { code: "MILL", name: "North Mill", kind: "SUPPLIER" }, "party");
    const material = (sku: string, name: string, kind: string) =>
      create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    const flour = await material("FLOUR-Q", "Wheat flour", "RAW");
    const bread = await material("BREAD-Q", "Sourdough loaf", "FINISHED");
    const gateId = await create(
      admin,
      "createQcGate",
      {
        name: "Final weight check",
        blocking: false,
        criticalControlPoint: false,
        characteristics: [
          { name: "Weight", lower: 495, upper: 505, unit: "g" },
          { name: "Length", lower: 198, upper: 202, unit: "mm" },
        ],
      },
      "gate",
    );
    await create(
      admin,
      "createQcGate",
      { name: "Metal detector", blocking: true, criticalControlPoint: true, characteristics: [] },
      "gate",
    );
    flourLot = await create(
      crew.operator,
      "receiveLot",
      { materialId: flour, quantity: "100", locationId: site, code: codes.flour },
      "lot",
    );
    await runWorkOrder(crew, {
      productId: bread,
      locationId: site,
      lineId,
      consume: [[flourLot, "40"]],
      output: [[codes.bread, "38"]],
    });
    // Earlier checks at the gate: the control chart's history.
    for (const [weight, length] of [
      [500.4, 199.8],
      [498.9, 200.6],
      [501.7, 200.1],
    ]) {
      await crew.operator.expectData(
        `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`,
        {
          input: {
            gateId,
            lotId: flourLot,
            decision: "PASS",
            measurements: [
              { characteristic: "Weight", value: weight },
              { characteristic: "Length", value: length },
            ],
          },
        },
      );
    }
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  async function openQuality(who: keyof typeof people, viewport = { width: 1366, height: 900 }) {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, people[who].email, people[who].password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Quality" }).click();
    await page.waitForURL((url) => url.pathname === "/quality");
    await page.getByRole("heading", { name: "Quality", level: 1 }).waitFor({ timeout: 15_000 });
    return { page, errors };
  }

  const tab = (page: Page, name: RegExp) => page.getByRole("tab", { name });

  it("lets an operator record a measured decision, refusing an out-of-limits PASS next to its field", async () => {
    const { page, errors } = await openQuality("operator");

    const card = page.getByTestId("gate-card").filter({ hasText: "Final weight check" });
    await card.getByTestId("gate-decision").first().waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain("495 – 505 g");
    expect(await card.getByTestId("gate-decision").count()).toBe(3);
    await page
      .getByTestId("gate-card")
      .filter({ hasText: "Metal detector" })
      .getByText("Critical control point")
      .waitFor();
    await screenshot(page, "quality-gates");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await card.getByRole("button", { name: "Record a decision" }).click();
    await expect.poll(() => page.getByLabel("Gate", { exact: true }).inputValue()).not.toBe("");
    const lotCode = page.getByLabel("Lot code");
    await lotCode.fill(codes.flour);
    await lotCode.press("Enter"); // what a barcode scanner sends after the code
    await page.getByText("Wheat flour").first().waitFor({ timeout: 10_000 });
    await page.getByRole("radio", { name: /^Pass/ }).check();
    const weight = page.getByLabel("Weight (g)");
    await weight.fill("512");
    await page.getByText("Outside the limits (495 – 505 g).").waitFor();
    await page.getByLabel("Length (mm)").fill("200");
    await page.getByRole("button", { name: "Record PASS" }).click();
    await page.getByText(/Weight = 512 is outside its limits/).waitFor({ timeout: 10_000 });
    expect(await weight.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "quality-record-refused");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await weight.fill("500.2");
    await page.getByRole("button", { name: "Record PASS" }).click();
    await page.getByText(`PASS recorded for lot ${codes.flour} at Final weight check.`).waitFor({ timeout: 10_000 });
    expect(await page.getByLabel("Lot code").inputValue()).toBe("");
    await screenshot(page, "quality-record-done");

    // Operators see the holds, live, but not the manager's actions.
    await tab(page, /^Holds/).click();
    await page.getByText("No lot is on hold.").waitFor({ timeout: 10_000 });
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    await crew.manager.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId: flourLot, reason: "Mill reports a sieve failure", propagate: false },
    });
    const held = page.getByTestId("open-hold").filter({ hasText: codes.flour });
    await held.waitFor({ timeout: 10_000 });
    expect(await held.getByRole("button", { name: "Open nonconformance" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: /Place a hold/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Release/ }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("lets a manager hold a lot, refuses a release with a wrong password, releases it signed and disposes the nonconformance", async () => {
    const { page, errors } = await openQuality("manager");
    await tab(page, /^Holds/).click();
    await page.getByRole("button", { name: "Place a hold…" }).click();
    await page.getByRole("heading", { name: "Place a hold" }).waitFor({ timeout: 10_000 });
    const holdForm = page.getByRole("form", { name: "Hold a lot" });
    expect(await holdForm.getByRole("checkbox", { name: /Also hold everything made from it/ }).isChecked()).toBe(true);
    await holdForm.getByLabel("Lot code").fill(codes.bread);
    await holdForm.getByLabel("Lot code").press("Enter");
    await holdForm.getByText("Sourdough loaf").waitFor({ timeout: 10_000 });
    await holdForm.getByLabel("Reason").fill("Customer found a foreign body");
    await holdForm.getByRole("button", { name: "Place hold" }).click();
    await page.getByText(`${codes.bread} is on hold.`).waitFor({ timeout: 10_000 });
    const row = page.getByTestId("open-hold").filter({ hasText: codes.bread });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain("Customer found a foreign body");
    expect(await row.getByRole("link", { name: codes.bread }).getAttribute("href")).toBe(`/lots/${codes.bread}`);
    await screenshot(page, "quality-holds");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A standing hold on a supplier's lot code.
    await page.getByRole("radio", { name: /^A supplier lot/ }).check();
    const supplierForm = page.getByRole("form", { name: "Hold a supplier lot" });
    await supplierForm.getByLabel("Supplier", { exact: true }).selectOption({ label: "North Mill (MILL)" });
    await supplierForm.getByLabel("Supplier lot code").fill("MILL-2611");
    await supplierForm.getByLabel("Reason").fill("Mill recall notice 2611");
    await supplierForm.getByRole("button", { name: "Place hold" }).click();
    const supplierRow = page.getByTestId("supplier-hold").filter({ hasText: "MILL-2611" });
    await supplierRow.waitFor({ timeout: 10_000 });
    expect(await supplierRow.textContent()).toContain("Mill recall notice 2611");
    await screenshot(page, "quality-supplier-holds");

    // A nonconformance from the hold.
    await row.getByRole("button", { name: "Open nonconformance" }).click();
    const ncrDialog = page.getByRole("dialog", { name: "Open a nonconformance" });
    await ncrDialog.getByLabel("What is wrong").fill("Metal fragment in a loaf");
    await ncrDialog.getByRole("button", { name: "Open nonconformance" }).click();
    await page.getByText(/NCR-\d+ opened/).waitFor({ timeout: 10_000 });

    // A release signed with a wrong password is refused inside the dialog; Escape closes it.
    await row.getByRole("button", { name: `Release the hold on ${codes.bread}` }).click();
    const release = page.getByRole("dialog", { name: `Release the hold on ${codes.bread}` });
    await release.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("reason");
    await release.getByLabel("Why it may be released").fill("Detector retested, loaf batch X-rayed clean");
    await release.getByLabel("Your password").fill("not-my-password");
    await release.getByRole("button", { name: "Sign and release" }).click();
    await release.getByRole("alert").filter({ hasText: "Wrong password" }).waitFor({ timeout: 10_000 });
    await screenshot(page, "quality-release-wrong-password");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await release.waitFor({ state: "detached" });

    await row.getByRole("button", { name: `Release the hold on ${codes.bread}` }).click();
    await release.getByLabel("Why it may be released").fill("Detector retested, loaf batch X-rayed clean");
    await release.getByLabel("Your password").fill(people.manager.password);
    await release.getByRole("button", { name: "Sign and release" }).click();
    await page.getByText(`Hold on ${codes.bread} released`).waitFor({ timeout: 10_000 });
    await row.waitFor({ state: "detached", timeout: 10_000 });

    // The register: sign a disposition.
    await tab(page, /^Nonconformances/).click();
    const ncr = page.getByTestId("ncr-row").filter({ hasText: "Metal fragment in a loaf" });
    await ncr.waitFor({ timeout: 10_000 });
    await ncr.getByRole("button", { name: /Set the disposition of NCR-/ }).click();
    const disposition = page.getByRole("dialog", { name: /Disposition of NCR-/ });
    await disposition.getByRole("radio", { name: /^Rework/ }).check();
    await disposition.getByLabel("Corrective action").fill("Replace the sieve on line 3");
    await disposition.getByLabel("Your password").fill(people.manager.password);
    await disposition.getByRole("button", { name: "Sign disposition" }).click();
    await disposition.waitFor({ state: "detached", timeout: 10_000 });
    await ncr.getByText("Rework").waitFor({ timeout: 10_000 });
    expect(await ncr.textContent()).toContain("MANAGER quality, “disposition approved”");
    await screenshot(page, "quality-nonconformances");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Closed, signed: it leaves the open register and shows under "Closed".
    await ncr.getByRole("button", { name: /^Close NCR-/ }).click();
    const closing = page.getByRole("dialog", { name: /^Close NCR-/ });
    await closing.getByLabel("Your password").fill(people.manager.password);
    await closing.getByRole("button", { name: "Sign and close" }).click();
    await ncr.waitFor({ state: "detached", timeout: 10_000 });
    await page.getByRole("radio", { name: "Closed" }).check();
    await ncr.getByText(/Closed ✎ MANAGER quality/).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("charts each characteristic with its limits, and Cp and Cpk, on a desktop and a tablet", async () => {
    const { page, errors } = await openQuality("manager");
    await tab(page, /^Control charts/).click();
    const weight = page.getByTestId("characteristic-chart").filter({ hasText: "Weight" });
    await weight.getByTestId("control-chart").locator("canvas").first().waitFor({ timeout: 15_000 });
    const stats = weight.getByTestId("statistics");
    await stats.waitFor({ timeout: 10_000 });
    await expect.poll(async () => Number(await stats.locator("dd").first().textContent())).toBe(4);
    expect(await stats.textContent()).toMatch(/Cp\d+\.\d\d/);
    expect(await stats.textContent()).toMatch(/Cpk\d+\.\d\d/);
    expect(await page.getByTestId("characteristic-chart").count()).toBe(2);
    await screenshot(page, "quality-charts");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(300); // the charts follow their container's width
    await screenshot(page, "quality-charts-tablet");
    await tab(page, /^Record a decision/).click();
    await page.getByLabel("Lot code").waitFor();
    await screenshot(page, "quality-record-tablet");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
