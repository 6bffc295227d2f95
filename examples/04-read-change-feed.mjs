// Move 4 of an ERP integration, part 1: catch up on every change since the last run.
//
//   STATE_FILE=/var/lib/erp-bridge/lotgraph-changes.json node examples/04-read-change-feed.mjs
//
// Reads the change feed (`changes`) from the cursor saved in STATE_FILE to its end and prints one
// line per change: when, subject, entity, and the event id to de-duplicate by. Each change comes
// once; a second run prints only what happened since. Run it after an outage of the webhook
// receiver, or on a schedule instead of webhooks: the feed keeps everything, a cursor stays valid
// for as long as you like.
//
// The cursor is saved after every page; a crash between printing a page and saving its cursor
// prints that page again, so handle changes idempotently by their id (the webhooks' event id).
//
// Env: LOTGRAPH_URL, LOTGRAPH_TOKEN (a service account token), STATE_FILE (default
// ./lotgraph-changes.state.json), SUBJECTS (optional, comma separated subjects or patterns such as
// lotgraph.inventory.lot.*,lotgraph.quality.>; default every subject). Role: VIEWER; identity's
// changes (people, roles, service accounts) are only shown to AUDITOR or ADMIN.

import { readFile, rename, writeFile } from "node:fs/promises";
import { lotgraphFromEnv } from "./lib/lotgraph.mjs";

const lotgraph = lotgraphFromEnv();
const stateFile = process.env.STATE_FILE ?? "./lotgraph-changes.state.json";
const subjects = process.env.SUBJECTS ? process.env.SUBJECTS.split(",").map((subject) => subject.trim()) : null;

const CHANGES = `query ($after: String, $subjects: [String!]) {
  changes(after: $after, first: 500, subjects: $subjects) {
    pageInfo { hasNextPage endCursor }
    edges { node { id subject service occurredAt entityType entityId payload } }
  }
}`;

async function loadCursor() {
  try {
    return JSON.parse(await readFile(stateFile, "utf8")).after ?? null;
  } catch (error) {
    if (error.code === "ENOENT") return null; // first run: from the beginning of the history
    throw error;
  }
}

let after = await loadCursor();
let count = 0;
for (;;) {
  const { changes: page } = await lotgraph.request(CHANGES, { after, subjects });
  for (const { node } of page.edges)
    console.log(`${node.occurredAt} ${node.subject} ${node.entityType} ${node.entityId} id=${node.id}`);
  count += page.edges.length;
  // The feed's endCursor is set on every page, an empty one too: it is where the next read starts.
  after = page.pageInfo.endCursor;
  await writeFile(`${stateFile}.tmp`, JSON.stringify({ after, savedAt: new Date().toISOString() }));
  await rename(`${stateFile}.tmp`, stateFile);
  if (!page.pageInfo.hasNextPage) break;
}
console.error(`${count} new change(s); cursor saved in ${stateFile}`);
