import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * The validator (/audit) against the real stack in embedded mode: an AUDITOR sees the audit
 * trail, each chain's state, filters it and exports it; navigation follows the role, and an
 * OPERATOR who types the address is told the page is not for them.
 */
describe("web: the audit trail for auditors", () => {
  let stack: Stack;
  let browser: Browser;
  const people = {
    auditor: { email: "auditor@plant.test", password: "auditor-password-1", name: "Ada Auditor", roles: ["AUDITOR"] },
    operator: {
      email: "operator@plant.test",
      password: "operator-password-1",
      name: "Otto Operator",
      roles: ["OPERATOR"],
    },
  };

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    for (const person of Object.values(people)) await create(admin, "createUser", person, "user");
    await create(admin, "createLocation", { code: "AUDIT-SITE", name: "Audited site", kind: "SITE" }, "location");
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  const navLinks = async (page: Page) =>
    page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();

  it("shows an auditor every service's verified chain and the trail, filtered and exported as CSV", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, people.auditor.email, people.auditor.password);
    await expect.poll(() => navLinks(page)).toEqual(["Floor", "Lots", "Trace", "Recalls", "Audit trail"]);

    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.waitForURL("**/audit");
    await page.getByText("All 5 chains verified").waitFor({ timeout: 30_000 });
    const rows = page.getByTestId("audit-row");
    await rows.filter({ hasText: "Audited site" }).first().waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBeGreaterThan(3);
    await screenshot(page, "audit-trail");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Service").selectOption("identity");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect
      .poll(async () => [...new Set(await rows.locator('td[data-label="Service"]').allTextContents())])
      .toEqual(["Identity"]);
    await screenshot(page, "audit-trail-filtered");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes("identity"))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("hides the validator from an operator, and says so to one who types its address", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await signIn(page, stack.webUrl!, people.operator.email, people.operator.password);
    await expect.poll(() => navLinks(page)).toEqual(["Floor", "Lots", "Trace", "Production", "Quality"]);
    await page.goto(new URL("/audit", stack.webUrl!).toString());
    await page.getByText("The audit trail is for auditors.").waitFor({ timeout: 15_000 });
    await screenshot(page, "audit-not-allowed");
    await page.close();
  }, 120_000);
});
