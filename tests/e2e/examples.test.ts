import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopChild } from "../support/child-process.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { runWorkOrder } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLE = join(ROOT, "examples/data/master-data.json");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

/**
 * Runs an example as an integrator would (`node examples/…`), with only the environment the
 * script's header comment asks for, so a script that reads anything else fails here.
 */
function runExample(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "examples", script), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr, lines: stdout.split("\n").filter(Boolean) });
      },
    );
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function sign(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  return `t=${at},v1=${createHmac("sha256", secret).update(`${at}.${body}`).digest("hex")}`;
}

/** Issue 20: the runnable examples of docs/integrators.md do what the doc says, against a real stack. */
describe(`integrator examples (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let work: string;
  const tokens: Record<"manager" | "viewer" | "admin", string> = { manager: "", viewer: "", admin: "" };
  const ids: Record<string, string> = {};
  let receiver: ChildProcess | null = null;
  const receiverLines: string[] = [];

  const env = (role: keyof typeof tokens, extra: Record<string, string> = {}) => ({
    LOTGRAPH_URL: lotgraph.gatewayUrl,
    LOTGRAPH_TOKEN: tokens[role],
    ...extra,
  });

  beforeAll(async () => {
    lotgraph = await startTestLotgraph({
      env: { LOTGRAPH_WEBHOOK_ALLOW_LOOPBACK: "true", LOTGRAPH_WEBHOOK_RETRY_BASE_MS: "200" },
    });
    work = await mkdtemp(join(tmpdir(), "lotgraph-examples-"));
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    for (const [role, name] of [
      ["manager", "ERP master data and receipts"],
      ["viewer", "ERP export"],
      ["admin", "ERP webhook setup"],
    ] as const) {
      const data = await admin.expectData<{ createServiceAccount: { token: string } }>(
        `mutation ($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { token } }`,
        { input: { name, roles: [role.toUpperCase()], expiresInDays: 1 } },
      );
      tokens[role] = data.createServiceAccount.token;
    }
  }, 120_000);
  afterAll(async () => {
    if (receiver) await stopChild(receiver);
    if (work) await rm(work, { recursive: true, force: true });
    await lotgraph?.cleanup();
  });

  it("01 creates master data and receipts; a second run updates only what changed and books no receipt twice", async () => {
    const first = await runExample("01-push-master-data.mjs", [SAMPLE], env("manager"));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.lines.slice(0, 6)).toEqual([
      "material FLOUR-T55: created",
      "material BREAD-WHITE: created",
      "location PLANT-1: created",
      "location DOCK-1: created",
      "party MILL-042: created",
      "party SHOP-7: created",
    ]);
    const receipts = first.lines.slice(6);
    expect(receipts).toHaveLength(2);
    expect(receipts[0]).toMatch(/^receipt 5000001234\/10: lot L-FLOUR-0001 id \S+ batch B0001234 \(AVAILABLE\)$/);
    expect(receipts[1]).toMatch(/^receipt 5000001234\/20: lot L-FLOUR-0002 id \S+ batch B0001235 \(AVAILABLE\)$/);

    const made = await admin.expectData<{
      material: { id: string; name: string; externalRef: string };
      location: { parent: { code: string } };
      party: { id: string; externalRef: string };
    }>(`{
      material(sku: "FLOUR-T55") { id name externalRef }
      location(code: "DOCK-1") { parent { code } }
      party(code: "SHOP-7") { id externalRef }
    }`);
    expect(made).toMatchObject({
      material: { name: "Flour T55", externalRef: "MAT-100042" },
      location: { parent: { code: "PLANT-1" } },
      party: { externalRef: "C-400007" },
    });
    ids.flour = made.material.id;
    ids.shop = made.party.id;

    // The ERP renamed a material and renumbered a customer, and sends everything again, with one
    // receipt line that is wrong.
    const data = JSON.parse(await readFile(SAMPLE, "utf8"));
    data.materials[0].name = "Flour T55, 25 kg bag";
    data.parties[1].externalRef = "C-400008";
    data.receipts.push({ ...data.receipts[0], item: 30, quantity: "-5", lotCode: "L-FLOUR-0003", batch: "B0001236" });
    const changedFile = join(work, "master-data-2.json");
    await writeFile(changedFile, JSON.stringify(data));
    const second = await runExample("01-push-master-data.mjs", [changedFile], env("manager"));
    expect(second.code).toBe(1);
    expect(second.stderr).toBe("1 row(s) refused\n");
    expect(second.lines).toEqual([
      "material FLOUR-T55: updated (name)",
      "material BREAD-WHITE: unchanged",
      "location PLANT-1: unchanged",
      "location DOCK-1: unchanged",
      "party MILL-042: unchanged",
      "party SHOP-7: updated (externalRef)",
      // The same lots as the first run: the receipts' idempotency keys booked them once.
      receipts[0],
      receipts[1],
      expect.stringMatching(/^receipt 5000001234\/30: REFUSED BAD_USER_INPUT: .*\(field quantity\)$/),
    ]);
    const after = await admin.expectData<{
      material: { name: string };
      lots: { totalCount: number; edges: Array<{ node: { code: string; quantity: string } }> };
    }>(
      `query ($materialId: ID!) {
        material(sku: "FLOUR-T55") { name }
        lots(filter: { materialId: $materialId }) { totalCount edges { node { code quantity } } }
      }`,
      { materialId: ids.flour },
    );
    expect(after.material.name).toBe("Flour T55, 25 kg bag");
    expect(after.lots.totalCount).toBe(2);
    expect(Object.fromEntries(after.lots.edges.map(({ node }) => [node.code, Number(node.quantity)]))).toEqual({
      "L-FLOUR-0001": 1000,
      "L-FLOUR-0002": 500,
    });
  });

  it("02 prints each goods movement once, as postings, and only what is new on the next run", async () => {
    const keys = await admin.expectData<{
      bread: { id: string };
      dock: { id: string };
      lot1: { id: string };
    }>(
      `{ bread: material(sku: "BREAD-WHITE") { id } dock: location(code: "DOCK-1") { id } lot1: lot(code: "L-FLOUR-0001") { id } }`,
    );
    const crew = { manager: admin, operator: admin };
    const { runId, lots } = await runWorkOrder(crew, {
      productId: keys.bread.id,
      locationId: keys.dock.id,
      consume: [[keys.lot1.id, "100"]],
      output: [["L-BREAD-0001", "200"]],
    });
    ids.run = runId;
    ids.bread = lots[0]!;
    await admin.expectData(`mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`, {
      input: {
        customerId: ids.shop,
        reference: "PO-77",
        externalRef: "80001234",
        lines: [{ lotId: ids.bread, quantity: "50" }],
      },
    });

    const stateFile = join(work, "movements.json");
    const printed: string[] = [];
    // A movement shows once every transaction begun before it has ended: poll as a scheduler would.
    await eventually(
      async () => {
        const run = await runExample(
          "02-pull-production-and-shipments.mjs",
          [],
          env("viewer", { STATE_FILE: stateFile }),
        );
        expect(run.code).toBe(0);
        printed.push(...run.lines);
        expect(printed.map((line) => line.split(" ")[2])).toEqual([
          "RECEIPT/101",
          "RECEIPT/101",
          "CONSUMPTION/261",
          "PRODUCTION/101",
          "SHIPMENT/601",
        ]);
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const movementIds = printed.map((line) => line.split(" ")[0]);
    expect(new Set(movementIds).size).toBe(5);
    const columns = (line: string) => line.split(" ").slice(3).join(" ");
    expect(columns(printed[0]!)).toMatch(
      /^material=MAT-100042 lot=L-FLOUR-0001 batch=B0001234 qty=1000(\.0+)? kg at=DOCK-1$/,
    );
    expect(columns(printed[2]!)).toMatch(
      new RegExp(`^material=MAT-100042 lot=L-FLOUR-0001 batch=B0001234 qty=-100(\\.0+)? kg at=- run=${runId}$`),
    );
    expect(columns(printed[3]!)).toMatch(
      new RegExp(`^material=MAT-200007 lot=L-BREAD-0001 batch=- qty=200(\\.0+)? ea at=DOCK-1 run=${runId}$`),
    );
    expect(columns(printed[4]!)).toMatch(
      /^material=MAT-200007 lot=L-BREAD-0001 batch=- qty=-50(\.0+)? ea at=- delivery=80001234 customer=C-400008$/,
    );

    const again = await runExample(
      "02-pull-production-and-shipments.mjs",
      [],
      env("viewer", { STATE_FILE: stateFile }),
    );
    expect(again).toMatchObject({ code: 0, stdout: "" });
    expect(again.stderr).toContain("0 new movement(s)");

    await admin.expectData(`mutation ($input: AdjustLotInput!) { adjustLot(input: $input) { lot { id } } }`, {
      input: { lotId: ids.bread, delta: "-1", reason: "count" },
    });
    const adjusted: string[] = [];
    await eventually(
      async () => {
        const run = await runExample(
          "02-pull-production-and-shipments.mjs",
          [],
          env("viewer", { STATE_FILE: stateFile }),
        );
        adjusted.push(...run.lines);
        expect(adjusted).toHaveLength(1);
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(adjusted[0]).toMatch(/ ADJUSTMENT\/702 material=MAT-200007 lot=L-BREAD-0001 batch=- qty=-1(\.0+)? ea at=-$/);
    expect(movementIds).not.toContain(adjusted[0]!.split(" ")[0]);
  });

  it("03 registers a webhook, and the receiver blocks a held batch, refusing forged and replayed requests", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hooks/lotgraph`;
    const registered = await runExample("03-register-webhook.mjs", [], env("admin", { WEBHOOK_URL: url }));
    expect(registered.code).toBe(0);
    const secret = registered.lines.find((line) => line.startsWith("WEBHOOK_SECRET="))?.slice("WEBHOOK_SECRET=".length);
    expect(secret).toMatch(/^whsec_/);
    const webhookId = registered.lines[0]!.split(" ")[1]!;
    // A second run finds it and shows no secret.
    const again = await runExample("03-register-webhook.mjs", [], env("admin", { WEBHOOK_URL: url }));
    expect(again.code).toBe(0);
    expect(again.lines[0]).toBe(
      `webhook ${webhookId} already posts lotgraph.inventory.lot.held,lotgraph.inventory.lot.released to ${url}`,
    );
    expect(again.stdout).not.toContain("WEBHOOK_SECRET");

    receiver = spawn(process.execPath, [join(ROOT, "examples/03-webhook-receiver.mjs")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env("viewer", { WEBHOOK_SECRET: secret!, PORT: String(port) }) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let partial = "";
    receiver.stdout!.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString("utf8");
      const complete = text.split("\n");
      partial = complete.pop() ?? "";
      receiverLines.push(...complete);
    });
    await eventually(() => expect(receiverLines).toContain(`listening on ${url}`), { timeoutMs: 10_000 });

    const lot2 = await admin.expectData<{ lot: { id: string } }>(`{ lot(code: "L-FLOUR-0002") { id } }`);
    const held = await admin.expectData<{ placeHold: { holds: Array<{ id: string }> } }>(
      `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
      { input: { lotId: lot2.lot.id, reason: "moisture above spec" } },
    );
    // Inventory's lot.held carries its own reason text, which quotes quality's reason.
    const block = `ERP: block batch B0001235 (lot L-FLOUR-0002, material FLOUR-T55): quality hold ${held.placeHold.holds[0]!.id} on lot ${lot2.lot.id}: moisture above spec`;
    await eventually(() => expect(receiverLines).toContain(block), { timeoutMs: 15_000, intervalMs: 50 });
    const deliveries = await eventually(
      async () => {
        const data = await admin.expectData<{
          webhookDeliveries: {
            edges: Array<{ node: { eventId: string; status: string; responseStatus: number; payload: unknown } }>;
          };
        }>(
          `query ($webhookId: ID!) { webhookDeliveries(webhookId: $webhookId, first: 10) { edges { node { eventId status responseStatus payload } } } }`,
          { webhookId },
        );
        const nodes = data.webhookDeliveries.edges.map((edge) => edge.node);
        expect(nodes.map((node) => [node.status, node.responseStatus])).toEqual([["DELIVERED", 204]]);
        return nodes;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const delivered = deliveries[0]!;
    expect(receiverLines).toContain(
      `event ${delivered.eventId} lotgraph.inventory.lot.held Lot ${lot2.lot.id} attempt 1`,
    );

    // Requests that did not come from Lotgraph, or came too late, change nothing.
    const post = (body: string, signature: string) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "lotgraph-signature": signature, "lotgraph-event-id": "forged" },
        body,
      });
    const body = JSON.stringify({
      id: "00000000-0000-4000-8000-0000000000aa",
      subject: "lotgraph.inventory.lot.held",
      entityType: "Lot",
      entityId: lot2.lot.id,
      attempt: 1,
      payload: { lotId: lot2.lot.id, reason: "forged" },
    });
    const tampered = body.replace("forged", "forget");
    expect((await post(tampered, sign(secret!, body))).status).toBe(401);
    expect((await post(body, sign("whsec_not-the-secret", body))).status).toBe(401);
    expect((await post(body, sign(secret!, body, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
    expect((await post(body, "t=1,v1=zz")).status).toBe(401);
    // The same event again (Lotgraph delivers at least once) is acknowledged and not acted on twice.
    const duplicate = JSON.stringify({ id: delivered.eventId, subject: "lotgraph.inventory.lot.held", attempt: 2 });
    expect((await post(duplicate, sign(secret!, duplicate))).status).toBe(204);
    await eventually(() =>
      expect(receiverLines).toContain(`duplicate ${delivered.eventId} (attempt 2): already taken, ignored`),
    );
    expect(receiverLines.filter((line) => line.startsWith("refused forged: "))).toEqual([
      "refused forged: signature does not match",
      "refused forged: signature does not match",
      "refused forged: timestamp outside the replay window",
      "refused forged: malformed signature header",
    ]);
    expect(receiverLines.filter((line) => line.startsWith("ERP: "))).toEqual([block]);

    // Released (signed by a person): the receiver unblocks the batch.
    await admin.expectData(`mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } } }`, {
      input: {
        holdId: held.placeHold.holds[0]!.id,
        reason: "re-tested within spec",
        signature: { password: lotgraph.admin.password!, meaning: "approved for release" },
      },
    });
    await eventually(
      () => expect(receiverLines).toContain("ERP: unblock batch B0001235 (lot L-FLOUR-0002, material FLOUR-T55)"),
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  });

  it("04 reads the change feed from its cursor: everything once, then only what is new", async () => {
    const stateFile = join(work, "changes.json");
    const printed: string[] = [];
    const subjectOf = (line: string) => line.split(" ")[1];
    // The last change of each service this test made: once those are read, all before them are.
    await eventually(
      async () => {
        const run = await runExample("04-read-change-feed.mjs", [], env("viewer", { STATE_FILE: stateFile }));
        expect(run.code).toBe(0);
        printed.push(...run.lines);
        const subjects = printed.map(subjectOf);
        for (const last of [
          "lotgraph.inventory.lot.released",
          "lotgraph.quality.hold.released",
          "lotgraph.production.output.recorded",
        ])
          expect(subjects).toContain(last);
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const subjects = printed.map(subjectOf);
    expect(subjects).toEqual(
      expect.arrayContaining([
        "lotgraph.inventory.material.created",
        "lotgraph.inventory.material.updated",
        "lotgraph.inventory.party.updated",
        "lotgraph.inventory.lot.received",
        "lotgraph.inventory.lot.shipped",
        "lotgraph.inventory.lot.held",
      ]),
    );
    // A VIEWER does not see identity's changes (the service accounts made above).
    expect(subjects.some((subject) => subject?.startsWith("lotgraph.identity."))).toBe(false);
    const eventIds = printed.map((line) => line.split(" id=")[1]);
    expect(new Set(eventIds).size).toBe(printed.length);

    const idle = await runExample("04-read-change-feed.mjs", [], env("viewer", { STATE_FILE: stateFile }));
    expect(idle).toMatchObject({ code: 0, stdout: "" });

    const dock = await admin.expectData<{ location: { id: string } }>(`{ location(code: "PLANT-1") { id } }`);
    await admin.expectData(`mutation ($input: MoveLotInput!) { moveLot(input: $input) { lot { id } } }`, {
      input: { lotId: ids.bread, toLocationId: dock.location.id },
    });
    const moved: string[] = [];
    await eventually(
      async () => {
        const run = await runExample("04-read-change-feed.mjs", [], env("viewer", { STATE_FILE: stateFile }));
        moved.push(...run.lines);
        expect(moved.map(subjectOf)).toEqual(["lotgraph.inventory.lot.moved"]);
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(moved[0]).toContain(` Lot ${ids.bread} `);
  });

  it("04 reconciles on-hand stock with the ERP's figures and says what differs", async () => {
    const erpFile = join(work, "erp-stock.json");
    // Lotgraph: flour 1000 − 100 + 500 = 1400 kg; bread 200 − 50 shipped − 1 counted = 149 ea.
    await writeFile(
      erpFile,
      JSON.stringify({
        onHand: [
          { sku: "FLOUR-T55", quantity: "1400", uom: "kg" },
          { sku: "BREAD-WHITE", quantity: "150", uom: "ea" },
        ],
      }),
    );
    const differs = await runExample("04-reconcile-stock.mjs", [erpFile], env("viewer"));
    expect(differs.code).toBe(2);
    expect(differs.lines).toEqual([
      "BREAD-WHITE: DIFFERENT Lotgraph 149 ea (available 149, quarantine 0, on hold 0), ERP 150, difference -1",
      "FLOUR-T55: ok 1400 kg",
    ]);
    expect(differs.stderr).toBe("2 material(s) compared, 1 difference(s)\n");

    await writeFile(erpFile, JSON.stringify({ onHand: [{ sku: "BREAD-WHITE", quantity: "149", uom: "ea" }] }));
    const missing = await runExample("04-reconcile-stock.mjs", [erpFile], env("viewer"));
    expect(missing.code).toBe(2);
    expect(missing.lines).toEqual([
      "BREAD-WHITE: ok 149 ea",
      "FLOUR-T55: DIFFERENT Lotgraph 1400 kg (available 1400, quarantine 0, on hold 0), not in the ERP file",
    ]);

    // The sample file in examples/data is what the docs show: it is a valid input.
    const sample = await runExample(
      "04-reconcile-stock.mjs",
      [join(ROOT, "examples/data/erp-stock.json")],
      env("viewer"),
    );
    expect(sample.code).toBe(2);
    expect(sample.lines).toContain(
      "FLOUR-T55: DIFFERENT Lotgraph 1400 kg (available 1400, quarantine 0, on hold 0), ERP 1500, difference -100",
    );
  });

  it("the shared client waits out RATE_LIMITED as Retry-After says, and stops at a refusal or a missing setting", async () => {
    // A stand-in gateway that is over the limit for the first request: the script must wait, then
    // succeed with the second.
    const seen: number[] = [];
    const fake = createHttpServer((request, response) => {
      request.resume();
      request.on("end", () => {
        seen.push(Date.now());
        if (seen.length === 1) {
          response.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
          response.end(
            JSON.stringify({ errors: [{ message: "too many requests", extensions: { code: "RATE_LIMITED" } }] }),
          );
          return;
        }
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({ data: { lots: { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } } }),
        );
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = fake.address() as AddressInfo;
      const erpFile = join(work, "erp-empty.json");
      await writeFile(erpFile, JSON.stringify({ onHand: [] }));
      const waited = await runExample("04-reconcile-stock.mjs", [erpFile], {
        LOTGRAPH_URL: `http://127.0.0.1:${port}/graphql`,
        LOTGRAPH_TOKEN: "token",
      });
      expect(waited).toMatchObject({ code: 0, stderr: "0 material(s) compared, 0 difference(s)\n" });
      expect(seen).toHaveLength(2);
      // Retry-After: 1, with at most a quarter off for jitter.
      expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(750);
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }

    const missing = await runExample("04-reconcile-stock.mjs", [join(ROOT, "examples/data/erp-stock.json")], {
      LOTGRAPH_URL: lotgraph.gatewayUrl,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("LOTGRAPH_TOKEN is not set");
    // A refusal is not retried: the script ends with the code, at once.
    const forbidden = await runExample(
      "03-register-webhook.mjs",
      [],
      env("viewer", { WEBHOOK_URL: "https://erp.example/x" }),
    );
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain("LotgraphError: FORBIDDEN");
  });
});
