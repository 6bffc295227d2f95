// Move 3 of an ERP integration, step 1: register the webhook that tells the ERP about holds.
//
//   WEBHOOK_URL=https://erp-bridge.example.com/hooks/lotgraph node examples/03-register-webhook.mjs
//
// Creates a webhook posting lot holds and releases to WEBHOOK_URL, and prints its signing secret
// once as `WEBHOOK_SECRET=whsec_…`: put it in the receiver's secret store (03-webhook-receiver.mjs
// reads it from WEBHOOK_SECRET). Lotgraph never shows it again. When a webhook for the URL exists
// already, nothing is created; run with --rotate-secret to get a new secret for it (the old one
// stops signing at once, so deploy the new one to the receiver right away).
//
// Env: LOTGRAPH_URL, LOTGRAPH_TOKEN (a service account token), WEBHOOK_URL (https outside the
// plant's network), WEBHOOK_SUBJECTS (comma separated subjects or patterns; default
// lotgraph.inventory.lot.held,lotgraph.inventory.lot.released). Role: ADMIN.

import { lotgraphFromEnv, requireEnv } from "./lib/lotgraph.mjs";

const lotgraph = lotgraphFromEnv();
const url = requireEnv("WEBHOOK_URL");
const subjects = (process.env.WEBHOOK_SUBJECTS ?? "lotgraph.inventory.lot.held,lotgraph.inventory.lot.released")
  .split(",")
  .map((subject) => subject.trim())
  .filter(Boolean);

const { webhooks } = await lotgraph.request(`{ webhooks { id url subjects active } }`);
const existing = webhooks.find((webhook) => webhook.url === url);

if (existing) {
  if (!process.argv.includes("--rotate-secret")) {
    console.log(`webhook ${existing.id} already posts ${existing.subjects.join(",")} to ${url}`);
    console.log("its secret was shown when it was created; run with --rotate-secret for a new one");
    process.exit(0);
  }
  const { updateWebhook } = await lotgraph.request(
    `mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) { secret webhook { id } } }`,
    { input: { webhookId: existing.id, rotateSecret: true, subjects } },
  );
  console.log(`webhook ${updateWebhook.webhook.id} has a new secret`);
  console.log(`WEBHOOK_SECRET=${updateWebhook.secret}`);
} else {
  // No idempotencyKey: the lookup above already makes a second run harmless, and a key derived
  // from the URL would, once that webhook is deleted, replay the deleted webhook instead of making
  // a new one. (A lost answer leaves a webhook behind: the next run finds it; rotate its secret.)
  const { createWebhook } = await lotgraph.request(
    `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id subjects } } }`,
    { input: { url, subjects, description: "ERP: block and unblock batches" } },
  );
  console.log(`webhook ${createWebhook.webhook.id} posts ${createWebhook.webhook.subjects.join(",")} to ${url}`);
  console.log(`WEBHOOK_SECRET=${createWebhook.secret}`);
}
