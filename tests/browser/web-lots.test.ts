import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";

/*
 * The web app against the real stack in embedded mode: sign in as the first admin, see seeded lots
 * in the table, narrow them by code prefix. Uses the Debian chromium (no browser download).
 */

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SCREENSHOT = fileURLToPath(new URL("../../test-results/lots-page.png", import.meta.url));

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/** Two lots of one material, received through the gateway as an integration would. */
async function seedLots(admin: TestClient, run: string): Promise<string[]> {
  const { createMaterial } = await admin.expectData<{ createMaterial: { material: { id: string } } }>(
    `mutation CreateMaterial($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id } } }`,
    { input: { sku: `${run}-FLOUR`, name: "Wheat flour T55", uom: "kg", kind: "RAW", tracking: "LOT" } },
  );
  const { createLocation } = await admin.expectData<{ createLocation: { location: { id: string } } }>(
    `mutation CreateLocation($input: CreateLocationInput!) { createLocation(input: $input) { location { id } } }`,
    { input: { code: `${run}-SITE`, name: "Browser test site", kind: "SITE" } },
  );
  const codes = [`${run}-A1`, `${run}-B1`];
  for (const code of codes) {
    await admin.expectData(
      `mutation ReceiveLot($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id code } } }`,
      {
        input: {
          materialId: createMaterial.material.id,
          quantity: "12.5",
          locationId: createLocation.location.id,
          code,
        },
      },
    );
  }
  return codes;
}

describe("web: lots page", () => {
  const run = `BT${Date.now().toString(36).toUpperCase()}`;
  let stack: Stack;
  let browser: Browser;
  let codes: string[];
  let webUrl: string;
  let password: string;

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    webUrl = stack.webUrl!;
    password = stack.admin.password!;
    const client = new TestClient(stack.gatewayUrl);
    codes = await seedLots(client.as(await client.login(stack.admin.email, password)), run);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  it("signs in, lists the seeded lots and filters them by code prefix", async () => {
    const [codeA = "", codeB = ""] = codes;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(new URL("/login", webUrl).toString());
    await page.getByLabel("Email").fill(stack.admin.email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/lots", { timeout: 30_000 });

    const rows = page.getByRole("row").filter({ hasText: run });
    await rows.filter({ hasText: codeA }).waitFor({ timeout: 30_000 });
    await rows.filter({ hasText: codeB }).waitFor();
    await expect.poll(() => rows.count()).toBe(2);

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByLabel("Lot code starts with").fill(`${run}-A`);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(await rows.first().textContent()).toContain(codeA);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
