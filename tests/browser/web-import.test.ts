import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

const START = `mutation ($input: StartImportInput!) { startImport(input: $input) { importJob { id } } }`;

/*
 * The import page (/import, issue 20) against the real stack in embedded mode: a manager pastes
 * 50 opening-stock rows, two of them wrong; the dry run lists those two by row and column; the
 * import of the valid rows shows its progress to the end.
 */
describe("web: bulk import", () => {
  let stack: Stack;
  let browser: Browser;
  const manager = { email: "manager-import@plant.test", password: "manager-import-password" };

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    await create(admin, "createUser", { ...manager, name: "Mia Import", roles: ["MANAGER"] }, "user");
    const setUp = async (kind: string, rows: unknown[]) => {
      const { startImport } = await admin.expectData<{ startImport: { importJob: { id: string } } }>(START, {
        input: { kind, format: "JSON", content: JSON.stringify(rows) },
      });
      await eventually(
        async () => {
          const { importJob } = await admin.expectData<{ importJob: { status: string } }>(
            `query ($id: ID!) { importJob(id: $id) { status } }`,
            { id: startImport.importJob.id },
          );
          expect(importJob.status).toBe("SUCCEEDED");
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    };
    await setUp("MATERIALS", [{ sku: "WI-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" }]);
    await setUp("LOCATIONS", [{ code: "WI-SITE", name: "Site", kind: "SITE" }]);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  it("dry-runs a file, lists its bad rows by row and column, then imports the valid rows with progress", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, stack.webUrl!, manager.email, manager.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import" }).click();
    await page.getByRole("heading", { name: "Import" }).first().waitFor();

    const lines = ["sku,locationCode,lotCode,quantity"];
    for (let row = 1; row <= 50; row++) {
      lines.push(`${row === 7 ? "WI-NOPE" : "WI-FLOUR"},WI-SITE,WI-${row},${row === 31 ? "-2" : `${row}.5`}`);
    }
    await page.getByLabel("What").selectOption("OPENING_STOCK");
    await page.getByLabel("Content").fill(lines.join("\n"));
    await page.getByRole("button", { name: "Dry run" }).click();
    const summary = page.getByTestId("import-summary");
    await page.getByText("Checked: 50 of 50 rows").waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toContain("Would import 48, already present 0, with errors 2.");
    const errors = page.getByTestId("import-error-row");
    expect(await errors.allTextContents()).toEqual([
      "7skuno material with SKU WI-NOPE",
      "31quantityquantity must be greater than zero",
    ]);
    await screenshot(page, "import-dry-run");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel("If some rows are wrong").selectOption("VALID_ROWS");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("Done: 50 of 50 rows").waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toContain("Imported 48, already present 0, with errors 2.");
    expect(await page.locator("progress").getAttribute("value")).toBe("100");
    await screenshot(page, "import-done");
    await page.close();
  }, 180_000);
});
