import { mkdir } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn as signInAs } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";

/*
 * The web app against the real stack in embedded mode: sign in as the first admin, see seeded lots
 * in the table, narrow them by code prefix. Uses the Debian chromium (no browser download).
 */

const SCREENSHOT = fileURLToPath(new URL("../../test-results/lots-page.png", import.meta.url));

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

interface Seeded {
  codes: string[];
  lotIds: string[];
  materialId: string;
  locationId: string;
}

const RECEIVE = `mutation ReceiveLot($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id code } } }`;

/** Two lots of one material, received through the gateway as an integration would. */
async function seedLots(admin: TestClient, run: string): Promise<Seeded> {
  const { createMaterial } = await admin.expectData<{ createMaterial: { material: { id: string } } }>(
    `mutation CreateMaterial($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id } } }`,
    { input: { sku: `${run}-FLOUR`, name: "Wheat flour T55", uom: "kg", kind: "RAW", tracking: "LOT" } },
  );
  const { createLocation } = await admin.expectData<{ createLocation: { location: { id: string } } }>(
    `mutation CreateLocation($input: CreateLocationInput!) { createLocation(input: $input) { location { id } } }`,
    { input: { code: `${run}-SITE`, name: "Browser test site", kind: "SITE" } },
  );
  const codes = [`${run}-A1`, `${run}-B1`];
  const lotIds: string[] = [];
  for (const code of codes) {
    const { receiveLot } = await admin.expectData<{ receiveLot: { lot: { id: string } } }>(RECEIVE, {
      input: {
        materialId: createMaterial.material.id,
        quantity: "12.5",
        locationId: createLocation.location.id,
        code,
      },
    });
    lotIds.push(receiveLot.lot.id);
  }
  return { codes, lotIds, materialId: createMaterial.material.id, locationId: createLocation.location.id };
}

describe("web: lots page", () => {
  const run = `BT${Date.now().toString(36).toUpperCase()}`;
  let stack: Stack;
  let browser: Browser;
  let codes: string[];
  let seeded: Seeded;
  let admin: TestClient;
  let webUrl: string;
  let password: string;

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    webUrl = stack.webUrl!;
    password = stack.admin.password!;
    const client = new TestClient(stack.gatewayUrl);
    admin = client.as(await client.login(stack.admin.email, password));
    seeded = await seedLots(admin, run);
    codes = seeded.codes;
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  /** Each page is a fresh browser context, so it signs in through the form, then opens Lots. */
  async function signIn(page: Page): Promise<void> {
    await signInAs(page, webUrl, stack.admin.email, password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lots", exact: true }).click();
    await page.waitForURL("**/lots");
  }

  it("answers /healthz and /readyz, and hands a browser on the plant's network the gateway by the name it used", async () => {
    const health = await fetch(new URL("/healthz", webUrl));
    expect(health.status).toBe(200);
    const ready = await fetch(new URL("/readyz", webUrl));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { gateway: { ok: true } } });

    // A tablet that opened http://10.1.4.20:3000 must call the gateway on 10.1.4.20, not on its own localhost.
    const gatewayPort = new URL(stack.gatewayUrl).port;
    const html = await new Promise<string>((resolve, reject) => {
      const url = new URL("/login", webUrl);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { host: "10.1.4.20:3000" } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve(body));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(html).toContain(`http://10.1.4.20:${gatewayPort}/graphql`);
    expect(html).not.toContain(`localhost:${gatewayPort}`);
  });

  it("signs in, lists the seeded lots and filters them by code prefix", async () => {
    const [codeA = "", codeB = ""] = codes;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    await signIn(page);

    const rows = page.getByRole("row").filter({ hasText: run });
    await rows.filter({ hasText: codeA }).waitFor({ timeout: 30_000 });
    await rows.filter({ hasText: codeB }).waitFor();
    await expect.poll(() => rows.count()).toBe(2);

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Lot code starts with").fill(`${run}-A`);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(await rows.first().textContent()).toContain(codeA);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("shows lot changes live: a new quantity in its row, and new lots on request", async () => {
    const [codeA = "", codeB = ""] = codes;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page);
    const rows = page.getByRole("row").filter({ hasText: run });
    await rows.filter({ hasText: codeB }).waitFor({ timeout: 30_000 });
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });

    // Changed elsewhere (an ERP adjusting stock): the row follows without a reload.
    await admin.expectData(`mutation ($input: AdjustLotInput!) { adjustLot(input: $input) { lot { id } } }`, {
      input: { lotId: seeded.lotIds[0], delta: "-2.5", reason: "cycle count" },
    });
    await expect.poll(() => rows.filter({ hasText: codeA }).textContent(), { timeout: 10_000 }).toContain("10");
    await page.screenshot({ path: SCREENSHOT.replace(".png", "-live.png"), fullPage: true });

    // A lot received meanwhile is announced, not pushed into the middle of what people read.
    await admin.expectData(RECEIVE, {
      input: { materialId: seeded.materialId, quantity: "4", locationId: seeded.locationId, code: `${run}-C1` },
    });
    const announcement = page.getByRole("button", { name: /1 new lot since this list was loaded/ });
    await announcement.waitFor({ timeout: 10_000 });
    await announcement.click();
    await rows.filter({ hasText: `${run}-C1` }).waitFor({ timeout: 10_000 });
    await expect.poll(() => announcement.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("narrows the list by material, status and location, and says so when nothing matches", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page);
    const rows = page.getByTestId("lot-row").filter({ hasText: run });
    await rows.first().waitFor({ timeout: 30_000 });

    await page.getByText("Filters", { exact: true }).click();
    await page.getByLabel("Material").selectOption(seeded.materialId);
    await page.getByLabel("Location").selectOption(seeded.locationId);
    await page.getByRole("checkbox", { name: "Available" }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("matching the filters").waitFor({ timeout: 10_000 });
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: SCREENSHOT.replace(".png", "-filtered.png"), fullPage: true });

    await page.getByRole("checkbox", { name: "Available" }).uncheck();
    await page.getByRole("checkbox", { name: "On hold" }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("heading", { name: "No lot matches these filters" }).waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    // Received today: the seeded lots; received from tomorrow on: none.
    const day = (offset: number) => {
      const date = new Date();
      date.setDate(date.getDate() + offset);
      return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
    };
    await page.getByText("Filters", { exact: true }).click();
    await page.getByLabel("Received or made from").fill(day(0));
    await page.getByLabel("Received or made to").fill(day(0));
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("matching the filters").waitFor({ timeout: 10_000 });
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    await page.getByLabel("Received or made from").fill(day(1));
    await page.getByLabel("Received or made to").fill(day(1));
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("heading", { name: "No lot matches these filters" }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("receives a lot at the dock, refuses expired material at its field, and shows the new lot", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page);
    await page.getByRole("button", { name: "Receive a lot…" }).click();
    const form = page.getByRole("form", { name: "Receive a lot" });
    await expect
      .poll(() => form.getByLabel("Material").locator("option").count(), { timeout: 10_000 })
      .toBeGreaterThan(1);
    await form.getByLabel("Material").selectOption(seeded.materialId);
    await form.getByLabel(/^Quantity/).fill("250");
    await form.getByLabel("Put it at").selectOption(seeded.locationId);
    await form.getByLabel("Lot code", { exact: true }).fill(`${run}-DOCK`);
    await form.getByLabel("Supplier lot code (optional)").fill("SUP-DOCK-9");

    // Material that expired yesterday is refused, with the reason next to the expiry.
    const yesterday = new Date(Date.now() - 86_400_000);
    const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, "0")}-${String(yesterday.getDate()).padStart(2, "0")}`;
    await form.getByLabel("Expires on (optional)").fill(day);
    await form.getByRole("button", { name: "Receive" }).click();
    const expiry = form
      .locator("div", { has: page.getByLabel("Expires on (optional)") })
      .last()
      .getByRole("alert");
    await expiry.waitFor({ timeout: 10_000 });
    expect((await expiry.textContent())!.length).toBeGreaterThan(5);
    expect(await form.getByLabel("Expires on (optional)").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "lots-receive-refused");

    await form.getByLabel("Expires on (optional)").fill("");
    await form.getByRole("button", { name: "Receive" }).click();
    await form
      .getByRole("status")
      .filter({ hasText: `Received ${run}-DOCK: 250` })
      .waitFor({ timeout: 10_000 });
    expect(await form.getByRole("link", { name: `${run}-DOCK` }).getAttribute("href")).toBe(`/lots/${run}-DOCK`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "lots-receive");

    const received = await admin.expectData<{ lot: { quantity: string; supplierLotCode: string } }>(
      `query ($code: String!) { lot(code: $code) { quantity supplierLotCode } }`,
      { code: `${run}-DOCK` },
    );
    expect(received.lot).toEqual({ quantity: "250", supplierLotCode: "SUP-DOCK-9" });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
