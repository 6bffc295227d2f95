import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
    // Webhooks post to a receiver on this host, and give up after two quick attempts.
    stack = await startTestLotgraph({
      web: true,
      env: {
        LOTGRAPH_WEBHOOK_ALLOW_LOOPBACK: "true",
        LOTGRAPH_WEBHOOK_MAX_ATTEMPTS: "2",
        LOTGRAPH_WEBHOOK_RETRY_BASE_MS: "100",
      },
    });
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
      manager: ["Floor", "Lots", "Trace", "Production", "Quality", "Recalls", "Import"],
      auditor: ["Floor", "Lots", "Trace", "Recalls", "Audit trail"],
    };
    for (const [role, email] of Object.entries(people)) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await signIn(page, stack.webUrl!, email, password);
      expect(await navigation(page), role).toEqual(expected[role]);
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, stack.webUrl!, stack.admin.email, stack.admin.password!);
    expect(await navigation(page)).toEqual([
      "Floor",
      "Lots",
      "Trace",
      "Production",
      "Quality",
      "Recalls",
      "Import",
      "Audit trail",
      "Admin",
    ]);
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

  it("lets an administrator change a person's roles, deactivate them, and rotate and revoke a token", async () => {
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    await create(
      admin,
      "createUser",
      { email: "leaving@plant.test", name: "Lee Leaving", roles: ["OPERATOR"], password },
      "user",
    );
    const leaving = anonymous.as(await anonymous.login("leaving@plant.test", password));
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, stack.webUrl!, stack.admin.email, stack.admin.password!);
    await page.goto(new URL("/admin", stack.webUrl!).toString());
    const row = page.getByTestId("user-row").filter({ hasText: "leaving@plant.test" });
    await row.waitFor({ timeout: 15_000 });

    await row.getByRole("button", { name: "Edit Lee Leaving" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Lee Leaving" });
    await edit.getByRole("checkbox", { name: /Manager/ }).check();
    await edit.getByRole("checkbox", { name: /Operator/ }).uncheck();
    await screenshot(page, "admin-edit-person");
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.waitFor({ state: "detached" });
    await row.getByText("Manager").waitFor();
    const roles = await leaving.expectData<{ me: { roles: string[] } }>(`{ me { roles } }`);
    expect(roles.me.roles).toEqual(["MANAGER"]);

    await row.getByRole("button", { name: "Deactivate Lee Leaving" }).click();
    const confirm = page.getByRole("dialog", { name: "Deactivate Lee Leaving" });
    await confirm.getByRole("button", { name: "Deactivate" }).click();
    await confirm.waitFor({ state: "detached" });
    await row.getByText("Deactivated").waitFor();
    expect(await row.getByRole("button").count()).toBe(0);
    expect(await leaving.expectErrorCode(`{ me { id } }`)).toBe("UNAUTHENTICATED");

    // A display account: created for 30 days, its token rotated (the old one stops), then revoked.
    const accounts = page.getByRole("form", { name: "Add a service account" });
    await accounts.getByLabel("Name").fill("Line 9 display");
    await accounts.getByLabel("Token valid for (days)").fill("30");
    await accounts.getByRole("button", { name: "Create and show token" }).click();
    const first = await page.getByLabel("Token for Line 9 display").inputValue({ timeout: 10_000 });
    const account = page.getByTestId("service-account-row").filter({ hasText: "Line 9 display" });
    await account.getByText("Active").waitFor();
    await account.getByRole("button", { name: "Rotate token" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate the token of Line 9 display" });
    await rotate.getByRole("button", { name: "Rotate and show the new token" }).click();
    await rotate.waitFor({ state: "detached" });
    await page.waitForFunction(
      (old) =>
        (document.querySelector('textarea[aria-label="Token for Line 9 display"]') as HTMLTextAreaElement)?.value !==
        old,
      first,
    );
    const second = await page.getByLabel("Token for Line 9 display").inputValue();
    expect(await anonymous.as(first).expectErrorCode(`{ lines { id } }`)).toBe("UNAUTHENTICATED");
    await anonymous.as(second).expectData(`{ lines { id } }`);
    await screenshot(page, "admin-rotated-token");

    await account.getByRole("button", { name: "Revoke" }).click();
    const revoke = page.getByRole("dialog", { name: "Revoke Line 9 display" });
    await revoke.getByRole("button", { name: "Revoke for good" }).click();
    await revoke.waitFor({ state: "detached" });
    await account.getByText("Revoked").waitFor();
    expect(await anonymous.as(second).expectErrorCode(`{ lines { id } }`)).toBe("UNAUTHENTICATED");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();

    // The deactivated person is told so at sign-in, not that the password is wrong.
    const login = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await login.goto(new URL("/login", stack.webUrl!).toString());
    await login.getByLabel("Email").fill("leaving@plant.test");
    await login.getByLabel("Password").fill(password);
    await login.getByRole("button", { name: "Sign in" }).click();
    await login.getByText("This account is deactivated. Ask an administrator.").waitFor({ timeout: 10_000 });
    await login.close();
  }, 180_000);

  it("lets anyone change their own password from their account page", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await signIn(page, stack.webUrl!, people.operator, password);
    await page.getByRole("link", { name: "Your account: operator nav" }).click();
    await page.waitForURL("**/account");
    const form = page.getByRole("form", { name: "Change your password" });
    await form.getByLabel("Current password").fill("not-my-password");
    await form.getByLabel("New password", { exact: true }).fill("operator-new-password");
    await form.getByLabel("New password again").fill("operator-new-password");
    await form.getByRole("button", { name: "Change password" }).click();
    await form.getByText("The current password is wrong.").waitFor({ timeout: 10_000 });
    await form.getByLabel("Current password").fill(password);
    await form.getByRole("button", { name: "Change password" }).click();
    await form.getByText("Your password is changed.", { exact: false }).waitFor({ timeout: 10_000 });
    await screenshot(page, "account-password-changed");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const anonymous = new TestClient(stack.gatewayUrl);
    expect(await anonymous.login(people.operator, "operator-new-password")).toMatch(/\./);
    await page.close();
  }, 60_000);

  it("lets an administrator add a webhook, see its secret once, and send a dead-lettered delivery again", async () => {
    // The ERP's receiver: down (500) at first, then fixed.
    let answer = 500;
    const bodies: Array<{ subject: string; entityId: string }> = [];
    const receiver: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (answer === 204) bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        response.statusCode = answer;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/erp/lotgraph`;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await signIn(page, stack.webUrl!, stack.admin.email, stack.admin.password!);
      await page.goto(new URL("/admin", stack.webUrl!).toString());
      const form = page.getByRole("form", { name: "Add a webhook" });
      await form.getByLabel("Receiver URL").fill("ftp://erp.plant.local/in");
      await form.getByRole("button", { name: "Create and show secret" }).click();
      await form.getByText("Must be an http or https URL.").waitFor({ timeout: 10_000 });
      await form.getByLabel("Receiver URL").fill(url);
      await form.getByLabel("Description").fill("SAP goods receipts");
      await form.getByLabel("Subjects").fill("lotgraph.inventory.lot.received");
      await form.getByRole("button", { name: "Create and show secret" }).click();
      const secret = await page.getByLabel(`Signing secret for ${url}`).inputValue({ timeout: 10_000 });
      expect(secret).toMatch(/^whsec_/);
      const row = page.getByTestId("webhook-row").filter({ hasText: url });
      await row.waitFor();

      // A receipt while the receiver is down: two attempts, then dead letter.
      const anonymous = new TestClient(stack.gatewayUrl);
      const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
      const material = await create(
        admin,
        "createMaterial",
        { sku: "WEB-HOOK-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
        "material",
      );
      const site = await create(
        admin,
        "createLocation",
        { code: "WEB-HOOK-DOCK", name: "Dock", kind: "SITE" },
        "location",
      );
      const lot = await create(
        admin,
        "receiveLot",
        { materialId: material, quantity: "10", locationId: site, code: "WEB-HOOK-LOT" },
        "lot",
      );
      await expect
        .poll(
          async () => {
            await page.reload();
            return (await row.locator("td").nth(3).textContent({ timeout: 10_000 }))?.trim();
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBe("1");
      await row.getByRole("button", { name: "Deliveries" }).click();
      const deliveries = page.getByRole("region", { name: `Deliveries to ${url}` });
      const dead = deliveries.getByTestId("delivery-row").filter({ hasText: "Dead letter" });
      await dead.waitFor({ timeout: 10_000 });
      expect(await dead.textContent()).toContain("HTTP 500");
      await screenshot(page, "admin-webhook-dead-letter");

      // Fixed: send it again from the page.
      answer = 204;
      await dead.getByRole("button", { name: "Send again" }).click();
      await expect.poll(() => bodies.map((body) => body.entityId), { timeout: 15_000 }).toEqual([lot]);
      await deliveries.getByRole("checkbox", { name: "Dead letter only" }).uncheck();
      await deliveries.getByTestId("delivery-row").filter({ hasText: "Delivered" }).waitFor({ timeout: 10_000 });
      await screenshot(page, "admin-webhook-delivered");
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await row.getByRole("button", { name: "Pause" }).click();
      await row.getByText("Paused (events kept)").waitFor({ timeout: 10_000 });
      await row.getByRole("button", { name: "Delete" }).click();
      const confirm = page.getByRole("dialog", { name: "Delete this webhook" });
      await confirm.getByRole("button", { name: "Delete the webhook" }).click();
      await confirm.waitFor({ state: "detached" });
      await row.waitFor({ state: "detached", timeout: 10_000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      receiver.closeAllConnections();
      receiver.close();
    }
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
