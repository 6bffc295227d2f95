import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { benchModes, startBenchStack, type Mode } from "./bench-stack.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300);
/** Receipts a second, as a busy goods-in dock might post them. */
const RATE = Number(process.env.BENCH_RATE ?? 20);

/**
 * Webhook delivery latency (issue 20): receipts are posted through the gateway at a steady rate;
 * a receiver on this host records when each `lot.received` delivery arrives. Latency is measured
 * from the event's `occurredAt` (written in the committing transaction, on the same clock) and
 * from the moment the mutation's answer came back. A second webhook whose receiver never answers
 * runs beside it the whole time: it must not show in the healthy receiver's figures.
 */
export async function main(): Promise<void> {
  for (const mode of benchModes()) await measure(mode);
}

async function measure(mode: Mode): Promise<void> {
  const arrivals = new Map<string, number>();
  const hanging: ServerResponse[] = [];
  const healthy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { entityId: string };
      if (!arrivals.has(body.entityId)) arrivals.set(body.entityId, at);
      response.statusCode = 204;
      response.end();
    });
  });
  const dead = createServer((request, response) => {
    request.resume();
    hanging.push(response);
  });
  const listen = async (server: ReturnType<typeof createServer>) => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  };
  const stack = await startBenchStack(mode, {
    LOTGRAPH_WEBHOOK_ALLOW_LOOPBACK: "true",
    LOTGRAPH_WEBHOOK_TIMEOUT_MS: "5000",
  });
  const { gql, token, id } = stack;
  try {
    const site = await id("createLocation", "location", { code: "WB-SITE", name: "Bench site", kind: "SITE" });
    const material = await id("createMaterial", "material", {
      sku: "WB-RAW",
      name: "Raw",
      uom: "kg",
      kind: "RAW",
      tracking: "LOT",
    });
    for (const url of [await listen(healthy), await listen(dead)])
      await gql(token, `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }`, {
        input: { url, subjects: ["lotgraph.inventory.lot.received"] },
      });

    const answered = new Map<string, { answeredAt: number; occurredAt: number }>();
    const mutationMs: number[] = [];
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sent = performance.now();
      const lotId = await id("receiveLot", "lot", {
        materialId: material,
        quantity: "1",
        locationId: site,
        code: `WB-${i}`,
      });
      mutationMs.push(performance.now() - sent);
      answered.set(lotId, { answeredAt: Date.now(), occurredAt: 0 });
    }
    const deadline = Date.now() + 60_000;
    while (arrivals.size < EVENTS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    const changes = await gql<{ changes: { edges: Array<{ node: { entityId: string; occurredAt: string } }> } }>(
      token,
      `{ changes(first: 1000, subjects: ["lotgraph.inventory.lot.received"]) { edges { node { entityId occurredAt } } } }`,
      {},
    );
    for (const edge of changes.changes.edges) {
      const entry = answered.get(edge.node.entityId);
      if (entry) entry.occurredAt = Date.parse(edge.node.occurredAt);
    }
    const fromEvent: number[] = [];
    const fromAnswer: number[] = [];
    for (const [lotId, entry] of answered) {
      const arrived = arrivals.get(lotId);
      if (arrived === undefined) continue;
      if (entry.occurredAt) fromEvent.push(arrived - entry.occurredAt);
      fromAnswer.push(arrived - entry.answeredAt);
    }
    console.log(
      `\nwebhook delivery, ${mode} mode: ${EVENTS} receipts at ${RATE}/s, one healthy receiver and one that never answers`,
    );
    console.log(
      `  delivered to the healthy receiver: ${arrivals.size}/${EVENTS}; attempts held open by the dead one: ${hanging.length}`,
    );
    console.log(`  from the event (occurredAt) to arrival:    ${summary(fromEvent)}`);
    console.log(`  from the mutation's answer to arrival:     ${summary(fromAnswer)}`);
    console.log(`  receiveLot through the gateway:            ${summary(mutationMs)}`);
  } finally {
    for (const response of hanging) response.destroy();
    healthy.closeAllConnections();
    dead.closeAllConnections();
    healthy.close();
    dead.close();
    await stack.stop();
  }
}

function summary(values: number[]): string {
  if (values.length === 0) return "no samples";
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (n=${values.length})`;
}
