import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLotgraph } from "../../gateway/src/all-in-one.ts";

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

type Stack = Awaited<ReturnType<typeof startLotgraph>>;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs one operation; a failure names the operation and prints the errors. */
async function gql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body: GraphQLResponse<T> = await response.json();
  if (!body.data || body.errors?.length) {
    throw new Error(`GraphQL failed (HTTP ${response.status}):\n${query}\n${JSON.stringify(body.errors, null, 2)}`);
  }
  return body.data;
}

async function seedLots(gatewayUrl: string, admin: Stack["admin"], run: string): Promise<string[]> {
  const { login } = await gql<{ login: { token: string } }>(
    gatewayUrl,
    `mutation Login($input: LoginInput!) { login(input: $input) { token } }`,
    { input: admin },
  );
  const { createMaterial } = await gql<{ createMaterial: { material: { id: string } } }>(
    gatewayUrl,
    `mutation CreateMaterial($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id } } }`,
    { input: { sku: `${run}-FLOUR`, name: "Wheat flour T55", uom: "kg", kind: "RAW", tracking: "LOT" } },
    login.token,
  );
  const { createLocation } = await gql<{ createLocation: { location: { id: string } } }>(
    gatewayUrl,
    `mutation CreateLocation($input: CreateLocationInput!) { createLocation(input: $input) { location { id } } }`,
    { input: { code: `${run}-SITE`, name: "Browser test site", kind: "SITE" } },
    login.token,
  );
  const codes = [`${run}-A1`, `${run}-B1`];
  for (const code of codes) {
    await gql<{ receiveLot: { lot: { id: string; code: string } } }>(
      gatewayUrl,
      `mutation ReceiveLot($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id code } } }`,
      {
        input: {
          materialId: createMaterial.material.id,
          quantity: "12.5",
          locationId: createLocation.location.id,
          code,
        },
      },
      login.token,
    );
  }
  return codes;
}

describe("web: lots page", () => {
  const run = `BT${Date.now().toString(36).toUpperCase()}`;
  let dataDir: string;
  let stack: Stack;
  let browser: Browser;
  let codes: string[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "lotgraph-web-"));
    stack = await startLotgraph({ dataDir, gatewayPort: 0, webPort: 0, web: true, quiet: true });
    codes = await seedLots(stack.gatewayUrl, stack.admin, run);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("signs in, lists the seeded lots and filters them by code prefix", async () => {
    const [codeA = "", codeB = ""] = codes;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(new URL("/login", stack.webUrl).toString());
    await page.getByLabel("Email").fill(stack.admin.email);
    await page.getByLabel("Password").fill(stack.admin.password);
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
