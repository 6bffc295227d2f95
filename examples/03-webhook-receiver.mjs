// Move 3 of an ERP integration, step 2: react to holds and releases as they happen.
//
//   WEBHOOK_SECRET=whsec_… PORT=8080 node examples/03-webhook-receiver.mjs
//
// An HTTP server for the webhook 03-register-webhook.mjs makes. For every POST it:
// 1. checks the `lotgraph-signature` header (HMAC-SHA256 of "<t>.<raw body>" with the secret,
//    compared in constant time) and that t is within 5 minutes of our clock; anything else is
//    answered 401 and ignored, so a forged or replayed request changes nothing;
// 2. drops an event it has seen before (Lotgraph delivers at least once: after a timeout or a
//    crash the same event comes again, with the same id);
// 3. answers 204 at once and does the work afterwards: a slow answer counts as a failure
//    (LOTGRAPH_WEBHOOK_TIMEOUT_MS, 10 s by default) and the event would be sent again;
// 4. reacts: a held lot is blocked in the ERP, a released one unblocked (here: a printed line).
//
// A production bridge keeps the seen ids and the work queue in its own database (a unique index
// on the event id, written before answering 204), so nothing is lost or done twice across restarts.
// This example keeps both in memory.
//
// Env: WEBHOOK_SECRET (the secret 03-register-webhook.mjs printed; during a rotation give
// "new,old" and both are accepted), PORT (default 8080; 0 picks a free one), HOST (default
// 127.0.0.1; 0.0.0.0 to listen on every interface), WEBHOOK_PATH (default /hooks/lotgraph).
// Optional LOTGRAPH_URL and LOTGRAPH_TOKEN (role VIEWER): events carry ids only, so with them the
// receiver looks up the lot's code, batch and material for its message.

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Lotgraph, requireEnv } from "./lib/lotgraph.mjs";

const secrets = requireEnv("WEBHOOK_SECRET").split(",");
const path = process.env.WEBHOOK_PATH ?? "/hooks/lotgraph";
const REPLAY_WINDOW_SECONDS = 300;
const MAX_BODY_BYTES = 1024 * 1024;
const lotgraph =
  process.env.LOTGRAPH_URL && process.env.LOTGRAPH_TOKEN
    ? new Lotgraph(process.env.LOTGRAPH_URL, process.env.LOTGRAPH_TOKEN)
    : null;

/**
 * Why the signature does not hold, or null when it does. The header is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; sign the raw bytes as they
 * came, never a re-serialized JSON.
 */
function signatureProblem(header, rawBody, now = Date.now()) {
  if (typeof header !== "string") return "no lotgraph-signature header";
  const parts = Object.fromEntries(header.split(",").map((part) => part.trim().split("=", 2)));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? "")) return "malformed signature header";
  if (Math.abs(now / 1000 - timestamp) > REPLAY_WINDOW_SECONDS) return "timestamp outside the replay window";
  const given = Buffer.from(parts.v1, "hex");
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest();
    if (timingSafeEqual(given, expected)) return null;
  }
  return "signature does not match";
}

/** Event ids already taken, oldest first (a Map keeps insertion order); the oldest are forgotten. */
const seen = new Map();
const SEEN_LIMIT = 100_000;
const queue = [];
let working = false;

const server = createServer((request, response) => {
  if (request.method !== "POST" || request.url !== path) {
    response.writeHead(404).end();
    return;
  }
  const chunks = [];
  let size = 0;
  request.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) request.destroy();
    else chunks.push(chunk);
  });
  request.on("end", () => {
    const raw = Buffer.concat(chunks);
    const problem = signatureProblem(request.headers["lotgraph-signature"], raw);
    if (problem) {
      console.log(`refused ${request.headers["lotgraph-event-id"] ?? "?"}: ${problem}`);
      response.writeHead(401).end();
      return;
    }
    const event = JSON.parse(raw.toString("utf8"));
    if (seen.has(event.id)) {
      console.log(`duplicate ${event.id} (attempt ${event.attempt}): already taken, ignored`);
      response.writeHead(204).end();
      return;
    }
    seen.set(event.id, Date.now());
    if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value);
    queue.push(event);
    response.writeHead(204).end(); // acknowledged: Lotgraph will not send it again
    void work();
  });
});

/** Works the queue one event at a time, in the order they came (Lotgraph keeps order per lot). */
async function work() {
  if (working) return;
  working = true;
  try {
    while (queue.length > 0) {
      const event = queue.shift();
      try {
        await react(event);
      } catch (error) {
        // Here it is logged; a real bridge leaves the event in its table for a retry.
        console.error(`could not handle ${event.id} ${event.subject}: ${error.message}`);
      }
    }
  } finally {
    working = false;
  }
}

async function describeLot(lotId) {
  if (!lotgraph) return `lot ${lotId}`;
  const { lot } = await lotgraph.request(`query ($id: ID!) { lot(id: $id) { code externalRef material { sku } } }`, {
    id: lotId,
  });
  if (!lot) return `lot ${lotId}`;
  return `batch ${lot.externalRef ?? "-"} (lot ${lot.code}, material ${lot.material.sku})`;
}

async function react(event) {
  console.log(`event ${event.id} ${event.subject} ${event.entityType} ${event.entityId} attempt ${event.attempt}`);
  const { payload } = event;
  switch (event.subject) {
    case "lotgraph.inventory.lot.held":
    case "lotgraph.quality.hold.placed":
      console.log(`ERP: block ${await describeLot(payload.lotId)}: ${payload.reason}`);
      break;
    case "lotgraph.inventory.lot.released":
      // A lot may carry several holds, or still wait for an inspection: unblock only when free.
      if (payload.status === "AVAILABLE") console.log(`ERP: unblock ${await describeLot(payload.lotId)}`);
      else console.log(`ERP: keep ${await describeLot(payload.lotId)} blocked (now ${payload.status})`);
      break;
    default:
      console.log(`(no reaction to ${event.subject})`);
  }
}

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1", () => {
  const { address, port } = server.address();
  console.log(`listening on http://${address}:${port}${path}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
