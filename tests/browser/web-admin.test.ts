import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.ts";
import { TestClient } from "../support/graphql-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";

type Stack = Awaited<ReturnType<typeof startTestLotgraph>>;

/*
 * Sign-in per role and the admin screen (/admin) against the real stack in embedded mode: each
 * role sees its screens in the navigation; an administrator adds a person (the API's refusals
 * show at their fields) and a display's service account, whose token is shown once.
 */
describe("web: navigation by role, and administration", () => {
  let stack: Stack;
  let browser: Browser;
  const password = "role-test-password";
  const people = {
    viewer: "viewer-nav@plant.test",
    operator: "operator-nav@plant.test",
    manager: "manager-nav@plant.test",
    auditor: "auditor-nav@plant.test",
  };

  beforeAll(async () => {
    stack = await startTestLotgraph({ web: true });
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    for (const [role, email] of Object.entries(people)) {
      await create(admin, "createUser", { email, name: `${role} nav`, roles: [role.toUpperCase()], password }, "user");
    }
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  async function navigation(page: Page): Promise<string[]> {
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Floor", exact: true }).waitFor({ timeout: 15_000 });
    return nav.getByRole("link").allTextContents();
  }

  it("shows each role its screens, and lands on the floor dashboard", async () => {
    const expected: Record<string, string[]> = {
      viewer: ["Floor", "Lots", "Trace"],
      operator: ["Floor", "Lots", "Trace", "Production", "Quality"],
      manager: ["Floor", "Lots", "Trace", "Production", "Quality"],
      auditor: ["Floor", "Lots", "Trace", "Audit trail"],
    };
    for (const [role, email] of Object.entries(people)) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await signIn(page, stack.webUrl!, email, password);
      expect(await navigation(page), role).toEqual(expected[role]);
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, stack.webUrl!, stack.admin.email, stack.admin.password!);
    expect(await navigation(page)).toEqual(["Floor", "Lots", "Trace", "Production", "Quality", "Audit trail", "Admin"]);
    await page.close();
  }, 120_000);

  it("brings a person who opened a link before signing in back to it", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(new URL("/audit", stack.webUrl!).toString());
    await page.waitForURL("**/login?next=%2Faudit");
    await page.getByLabel("Email").fill(people.auditor);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/audit");
    await page.getByRole("heading", { name: "Audit trail" }).waitFor();
    await page.close();
  }, 60_000);

  it("lets an administrator add a person and a display account, with the API's refusals at their fields", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, stack.admin.email, stack.admin.password!);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.waitForURL("**/admin");
    const rows = page.getByTestId("user-row");
    await rows.filter({ hasText: people.viewer }).waitFor({ timeout: 15_000 });

    const form = page.getByRole("form", { name: "Add a person" });
    await form.getByLabel("Name").fill("Dana Quality");
    await form.getByLabel("Email").fill(people.viewer);
    await form.getByLabel("First password").fill("long-enough-password");
    await form.getByRole("checkbox", { name: /Manager/ }).check();
    await form.getByRole("button", { name: "Add person" }).click();
    // The email is taken: the API's CONFLICT names the field, and the message stands beside it.
    await form.getByText(`A user with email ${people.viewer} already exists.`).waitFor({ timeout: 10_000 });

    await form.getByLabel("Email").fill("dana@plant.test");
    await form.getByRole("button", { name: "Add person" }).click();
    await form.getByText("Dana Quality can now sign in as dana@plant.test.").waitFor({ timeout: 10_000 });
    await rows.filter({ hasText: "dana@plant.test" }).waitFor();
    expect(await rows.filter({ hasText: "dana@plant.test" }).textContent()).toContain("Viewer, Manager");

    const accounts = page.getByRole("form", { name: "Add a service account" });
    await accounts.getByLabel("Name").fill("Line 4 display");
    await accounts.getByRole("button", { name: "Create and show token" }).click();
    const token = await page.getByLabel("Token for Line 4 display").inputValue({ timeout: 10_000 });
    expect(token.split(".")).toHaveLength(3);
    await page.getByTestId("service-account-row").filter({ hasText: "Line 4 display" }).waitFor();
    await screenshot(page, "admin");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The token works: the display reads the API with it.
    const display = new TestClient(stack.gatewayUrl).as(token);
    const me = await display.expectData<{ lines: unknown[] }>(`{ lines { id } }`);
    expect(Array.isArray(me.lines)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("tells a viewer who opens /admin that it is for administrators", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await signIn(page, stack.webUrl!, people.viewer, password);
    await page.goto(new URL("/admin", stack.webUrl!).toString());
    await page.getByText("Users and service accounts are managed by administrators.").waitFor({ timeout: 15_000 });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});
