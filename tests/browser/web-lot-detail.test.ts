import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, runWorkOrder } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * Lot detail (/lots/[code]) against the real stack in embedded mode: a quality manager opens a
 * lot made from flour that was put on hold, and sees why it is held (the cause chain to the
 * flour), where it came from, and its ledger; the flour's page shows the release and its signature.
 */
describe("web: lot detail", () => {
  let stack: Stack;
  let browser: Browser;
  let managerEmail: string;
  const codes = { flour: "FL-DETAIL-1", dough: "DO-DETAIL-1" };

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    const crew = await hireCrew(anonymous, admin, "detail");
    managerEmail = "manager-detail@plant.test";
    const site = await create(admin, "createLocation", { code: "BAKERY", name: "Bakery", kind: "SITE" }, "location");
    const material = (sku: string, name: string, kind: string) =>
      create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    const flour = await material("FLOUR-T55", "Wheat flour T55", "RAW");
    const dough = await material("DOUGH", "Bread dough", "INTERMEDIATE");
    const flourLot = await create(
      crew.operator,
      "receiveLot",
      { materialId: flour, quantity: "100", locationId: site, code: codes.flour },
      "lot",
    );
    await runWorkOrder(crew, {
      productId: dough,
      locationId: site,
      consume: [[flourLot, "40"]],
      output: [[codes.dough, "38"]],
    });
    const placed = await crew.manager.expectData<{ placeHold: { holds: Array<{ id: string }> } }>(
      `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
      { input: { lotId: flourLot, reason: "Mill reports possible glass contamination", propagate: true } },
    );
    // A second hold on the flour alone, released with a signature: the flour's page shows it.
    const second = await crew.manager.expectData<{ placeHold: { holds: Array<{ id: string }> } }>(
      `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
      { input: { lotId: flourLot, reason: "Moisture check", propagate: false } },
    );
    await crew.manager.expectData(
      `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } } }`,
      {
        input: {
          holdId: second.placeHold.holds[0]!.id,
          reason: "Moisture within limits",
          signature: { password: "manager-password-detail", meaning: "approved for release" },
        },
      },
    );
    expect(placed.placeHold.holds).toHaveLength(2);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  it("shows why a lot is held, where it came from and its ledger, and follows the genealogy to the flour", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, managerEmail, "manager-password-detail");

    await page.getByRole("link", { name: codes.dough }).click();
    await page.waitForURL(`**/lots/${codes.dough}`);
    await page.getByRole("heading", { name: codes.dough }).waitFor({ timeout: 15_000 });
    await page.getByText("it cannot be consumed or shipped").waitFor();
    const hold = page.getByTestId("hold-item").first();
    await expect.poll(() => hold.textContent()).toContain(`Inherited from the hold on ${codes.flour}`);
    expect(await page.getByTestId("movement-row").count()).toBe(1);
    await screenshot(page, "lot-detail-held");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole("region", { name: "Genealogy" }).getByRole("link", { name: codes.flour }).click();
    await page.waitForURL(`**/lots/${codes.flour}`);
    await page.getByRole("heading", { name: codes.flour }).waitFor({ timeout: 15_000 });
    await page.getByText("Signed by MANAGER detail — “approved for release”").waitFor();
    expect(await page.getByTestId("movement-row").count()).toBe(2);
    await screenshot(page, "lot-detail-released");

    await page.goto(new URL("/lots/NO-SUCH-LOT", stack.webUrl!).toString());
    await page.getByRole("heading", { name: "No lot NO-SUCH-LOT" }).waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
