import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

/** What a receiver got: the parsed body, the headers, and whether the signature checked out. */
interface Received {
  body: { id: string; deliveryId: string; subject: string; entityId: string; attempt: number; payload: unknown };
  headers: IncomingMessage["headers"];
  signed: boolean;
}

/**
 * A webhook receiver as an integrator writes one: a real HTTP server that checks the signature
 * (HMAC-SHA256 of "<t>.<body>", t within 5 minutes) the way docs/integrators.md says, and answers
 * what the test tells it to.
 */
class Receiver {
  readonly received: Received[] = [];
  /** Requests held open without an answer, while `answer` is "hang". */
  readonly hanging: ServerResponse[] = [];
  secret = "";
  answer: "ok" | "fail" | "hang" = "ok";
  private server!: Server;

  async listen(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        if (this.answer === "hang") {
          this.hanging.push(response);
          return;
        }
        this.received.push({
          body: JSON.parse(raw),
          headers: request.headers,
          signed: verify(this.secret, raw, request.headers["lotgraph-signature"]),
        });
        response.statusCode = this.answer === "ok" ? 204 : 500;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/lotgraph`;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function verify(secret: string, body: string, header: string | string[] | undefined): boolean {
  if (typeof header !== "string") return false;
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300 || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const CREATE = `mutation ($input: CreateWebhookInput!) {
  createWebhook(input: $input) { secret webhook { id url subjects active pendingDeliveries deadDeliveries } }
}`;
const DELIVERIES = `query ($webhookId: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(webhookId: $webhookId, first: 500, status: $status) {
    totalCount
    edges { node { id eventId subject entityId status attempts responseStatus lastError deliveredAt } }
  }
}`;
const RECEIVE = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id } } }`;
const ADJUST = `mutation ($input: AdjustLotInput!) { adjustLot(input: $input) { lot { id } } }`;

interface Delivery {
  id: string;
  eventId: string;
  subject: string;
  entityId: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
}

/** Issue 20: signed webhooks, retried in order per entity, dead letter, never in the write path's way. */
describe(`webhooks (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  const ids: Record<string, string> = {};
  const receivers: Receiver[] = [];

  async function receiver(): Promise<{ receiver: Receiver; url: string }> {
    const made = new Receiver();
    receivers.push(made);
    return { receiver: made, url: await made.listen() };
  }

  async function webhook(url: string, subjects: string[]): Promise<{ id: string; secret: string }> {
    const data = await admin.expectData<{ createWebhook: { secret: string; webhook: { id: string } } }>(CREATE, {
      input: { url, subjects, description: "ERP goods receipts" },
    });
    return { id: data.createWebhook.webhook.id, secret: data.createWebhook.secret };
  }

  async function deliveries(webhookId: string, status?: string): Promise<Delivery[]> {
    const data = await admin.expectData<{ webhookDeliveries: { edges: Array<{ node: Delivery }> } }>(DELIVERIES, {
      webhookId,
      status: status ?? null,
    });
    return data.webhookDeliveries.edges.map((edge) => edge.node).reverse();
  }

  async function receive(code: string): Promise<string> {
    const data = await admin.expectData<{ receiveLot: { lot: { id: string } } }>(RECEIVE, {
      input: { materialId: ids.flour, quantity: "100", locationId: ids.dock, code },
    });
    return data.receiveLot.lot.id;
  }

  async function adjust(lotId: string, delta: string): Promise<void> {
    await admin.expectData(ADJUST, { input: { lotId, delta, reason: "count" } });
  }

  beforeAll(async () => {
    lotgraph = await startTestLotgraph({
      env: {
        LOTGRAPH_WEBHOOK_ALLOW_LOOPBACK: "true",
        LOTGRAPH_WEBHOOK_RETRY_BASE_MS: "200",
        LOTGRAPH_WEBHOOK_MAX_ATTEMPTS: "4",
        LOTGRAPH_WEBHOOK_TIMEOUT_MS: "1000",
      },
    });
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    ids.flour = await create(
      admin,
      "createMaterial",
      { sku: "WH-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    ids.dock = await create(admin, "createLocation", { code: "WH-DOCK", name: "Dock", kind: "SITE" }, "location");
  }, 120_000);
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await lotgraph?.cleanup();
  });

  it("posts each matching event once, signed, with the event's id, subject and payload", async () => {
    const { receiver: erp, url } = await receiver();
    const hook = await webhook(url, ["lotgraph.inventory.lot.received"]);
    erp.secret = hook.secret;
    expect(hook.secret).toMatch(/^whsec_/);
    const lots = [await receive("WH-OK-1"), await receive("WH-OK-2")];
    await adjust(lots[0]!, "-1"); // another subject: not for this webhook

    await eventually(() => expect(erp.received).toHaveLength(2), { timeoutMs: 15_000, intervalMs: 50 });
    expect(erp.received.map((r) => [r.body.subject, r.body.entityId])).toEqual([
      ["lotgraph.inventory.lot.received", lots[0]],
      ["lotgraph.inventory.lot.received", lots[1]],
    ]);
    expect(erp.received.every((r) => r.signed)).toBe(true);
    const first = erp.received[0]!;
    expect(first.headers["lotgraph-event-id"]).toBe(first.body.id);
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.body.payload).toMatchObject({ code: "WH-OK-1" });
    // A signature made with another secret does not check out.
    expect(verify("whsec_other", JSON.stringify(first.body), first.headers["lotgraph-signature"])).toBe(false);

    const recorded = await eventually(
      async () => {
        const all = await deliveries(hook.id);
        expect(all.map((d) => d.status)).toEqual(["DELIVERED", "DELIVERED"]);
        return all;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(recorded.map((d) => d.eventId)).toEqual(erp.received.map((r) => r.body.id));
    expect(recorded[0]).toMatchObject({ attempts: 1, responseStatus: 204 });
    // The change feed carries the same event ids.
    const feed = async () =>
      (
        await admin.expectData<{ changes: { edges: Array<{ node: { id: string } }> } }>(
          `{ changes(first: 1000, subjects: ["lotgraph.inventory.lot.received"]) { edges { node { id } } } }`,
        )
      ).changes.edges.map((edge) => edge.node.id);
    await expect.poll(feed, { timeout: 15_000 }).toEqual(expect.arrayContaining(recorded.map((d) => d.eventId)));
  });

  it("retries a receiver that answers 500 for a while, and delivers later, in order per entity", async () => {
    const { receiver: erp, url } = await receiver();
    erp.answer = "fail";
    const hook = await webhook(url, ["lotgraph.inventory.lot.*"]);
    erp.secret = hook.secret;
    const lot = await receive("WH-RETRY-1");
    for (const delta of ["-1", "-2", "-3"]) await adjust(lot, delta);
    // It has failed at least once; then the receiver recovers.
    await eventually(() => expect(erp.received.length).toBeGreaterThanOrEqual(2), { timeoutMs: 10_000 });
    expect(erp.received.every((r) => r.body.subject === "lotgraph.inventory.lot.received")).toBe(true);
    const failedAttempts = erp.received.length;
    erp.answer = "ok";

    const done = await eventually(
      async () => {
        const all = await deliveries(hook.id);
        expect(all).toHaveLength(4);
        expect(all.every((d) => d.status === "DELIVERED")).toBe(true);
        return all;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const accepted = erp.received.slice(failedAttempts).filter((r) => r.body.entityId === lot);
    expect(accepted.map((r) => r.body.id)).toEqual(done.map((d) => d.eventId));
    expect(accepted.map((r) => r.body.subject)).toEqual([
      "lotgraph.inventory.lot.received",
      "lotgraph.inventory.lot.adjusted",
      "lotgraph.inventory.lot.adjusted",
      "lotgraph.inventory.lot.adjusted",
    ]);
    expect(accepted.map((r) => (r.body.payload as { delta?: string }).delta)).toEqual([undefined, "-1", "-2", "-3"]);
    expect(done[0]!.attempts).toBeGreaterThan(1);
    expect(accepted[0]!.body.attempt).toBe(done[0]!.attempts);
  });

  it("ends a receiver that never answers in dead letter, without holding back mutations or other receivers", async () => {
    const { receiver: dead, url: deadUrl } = await receiver();
    dead.answer = "hang";
    const { receiver: healthy, url: healthyUrl } = await receiver();
    const deadHook = await webhook(deadUrl, ["lotgraph.inventory.lot.received"]);
    const healthyHook = await webhook(healthyUrl, ["lotgraph.inventory.lot.received"]);
    healthy.secret = healthyHook.secret;

    const lots: string[] = [];
    for (let i = 1; i <= 3; i++) lots.push(await receive(`WH-DEAD-${i}`));
    // The healthy receiver has everything while the dead one still holds attempts open.
    await eventually(() => expect(healthy.received.map((r) => r.body.entityId)).toEqual(expect.arrayContaining(lots)), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(dead.hanging.length).toBeGreaterThan(0);
    // Mutations go on while attempts hang.
    lots.push(await receive("WH-DEAD-4"));
    expect(dead.hanging.length).toBeGreaterThan(0);

    const all = await eventually(
      async () => {
        const recorded = await deliveries(deadHook.id);
        expect(recorded).toHaveLength(4);
        expect(recorded.every((d) => d.status === "DEAD")).toBe(true);
        return recorded;
      },
      { timeoutMs: 40_000, intervalMs: 250 },
    );
    expect(all.every((d) => d.attempts === 4 && d.lastError === "no answer within the timeout")).toBe(true);
    const hookState = await admin.expectData<{ webhook: { deadDeliveries: number; pendingDeliveries: number } }>(
      `query ($id: ID!) { webhook(id: $id) { deadDeliveries pendingDeliveries } }`,
      { id: deadHook.id },
    );
    expect(hookState.webhook).toEqual({ deadDeliveries: 4, pendingDeliveries: 0 });

    // Fixed: a person redelivers one from dead letter.
    dead.answer = "ok";
    dead.secret = deadHook.secret;
    const redelivered = await admin.expectData<{
      redeliverWebhook: { delivery: { status: string; attempts: number } };
    }>(
      `mutation ($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { status attempts } } }`,
      { input: { deliveryId: all[0]!.id } },
    );
    expect(redelivered.redeliverWebhook.delivery).toEqual({ status: "PENDING", attempts: 0 });
    await eventually(() => expect(dead.received.map((r) => r.body.id)).toEqual([all[0]!.eventId]), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(dead.received[0]!.signed).toBe(true);
    expect(
      await admin.expectErrorCode(
        `mutation ($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { id } } }`,
        { input: { deliveryId: "00000000-0000-4000-8000-000000000000" } },
      ),
    ).toBe("NOT_FOUND");
  }, 90_000);

  it("stops at a deleted webhook, and a paused one keeps its events until resumed", async () => {
    const { receiver: erp, url } = await receiver();
    const hook = await webhook(url, ["lotgraph.inventory.lot.received"]);
    erp.secret = hook.secret;
    const UPDATE = `mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) { secret webhook { active subjects } } }`;
    const paused = await admin.expectData<{ updateWebhook: { secret: string | null; webhook: { active: boolean } } }>(
      UPDATE,
      { input: { webhookId: hook.id, active: false } },
    );
    expect(paused.updateWebhook).toEqual({
      secret: null,
      webhook: { active: false, subjects: ["lotgraph.inventory.lot.received"] },
    });
    const lot = await receive("WH-PAUSED-1");
    await eventually(async () => expect(await deliveries(hook.id, "PENDING")).toHaveLength(1), { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(erp.received).toEqual([]);

    const resumed = await admin.expectData<{ updateWebhook: { secret: string } }>(UPDATE, {
      input: { webhookId: hook.id, active: true, rotateSecret: true },
    });
    expect(resumed.updateWebhook.secret).toMatch(/^whsec_/);
    expect(resumed.updateWebhook.secret).not.toBe(hook.secret);
    erp.secret = resumed.updateWebhook.secret;
    await eventually(() => expect(erp.received.map((r) => r.body.entityId)).toEqual([lot]), { timeoutMs: 10_000 });
    expect(erp.received[0]!.signed).toBe(true);

    await admin.expectData(
      `mutation ($input: DeleteWebhookInput!) { deleteWebhook(input: $input) { webhook { deletedAt } } }`,
      {
        input: { webhookId: hook.id },
      },
    );
    await receive("WH-DELETED-1");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(erp.received).toHaveLength(1);
    const listed = await admin.expectData<{ webhooks: Array<{ id: string }> }>(`{ webhooks { id } }`);
    expect(listed.webhooks.map((w) => w.id)).not.toContain(hook.id);
  });

  it("refuses bad input, other roles, and changes nothing", async () => {
    const input = (over: Record<string, unknown>) => ({
      input: { url: "https://erp.example/hooks", subjects: ["lotgraph.>"], ...over },
    });
    expect(await admin.expectErrorCode(CREATE, input({ url: "ftp://erp.example/x" }))).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CREATE, input({ url: "https://user:pw@erp.example/x" }))).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CREATE, input({ url: "not a url" }))).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CREATE, input({ subjects: [] }))).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CREATE, input({ subjects: ["lotgraph..x"] }))).toBe("BAD_USER_INPUT");
    const before = await admin.expectData<{ webhooks: unknown[] }>(`{ webhooks { id } }`);

    const anonymous = new TestClient(lotgraph.gatewayUrl);
    await create(
      admin,
      "createUser",
      { email: "wh-op@plant.test", name: "Op", roles: ["MANAGER"], password: "manager-password-wh" },
      "user",
    );
    const manager = anonymous.as(await anonymous.login("wh-op@plant.test", "manager-password-wh"));
    expect(await manager.expectErrorCode(CREATE, input({}))).toBe("FORBIDDEN");
    expect(await manager.expectErrorCode(`{ webhooks { id } }`)).toBe("FORBIDDEN");
    expect(await anonymous.expectErrorCode(CREATE, input({}))).toBe("UNAUTHENTICATED");
    const after = await admin.expectData<{ webhooks: unknown[] }>(`{ webhooks { id } }`);
    expect(after.webhooks).toEqual(before.webhooks);
  });
});
