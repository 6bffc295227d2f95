#!/usr/bin/env node
// `npm test`: every suite in embedded mode (PGlite, in-process bus), then the integration and
// end-to-end suites again in services mode (PostgreSQL + NATS JetStream) when DATABASE_URL and
// NATS_URL are set. Without them it says which services-mode suites it left out, and why.
// Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const extra = process.argv.slice(2);
const { DATABASE_URL, NATS_URL, ...embeddedEnv } = process.env;
const browser = existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");

function vitest(label, env, args) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync("npx", ["vitest", "run", ...args, ...extra], { stdio: "inherit", env });
  return result.status ?? 1;
}

const embeddedProjects = ["--project", "unit", "--project", "integration", "--project", "e2e"];
if (browser) embeddedProjects.push("--project", "browser");
let failed = vitest("embedded mode (PGlite, in-process bus)", embeddedEnv, embeddedProjects) !== 0;

const left = [];
if (!browser)
  left.push(
    "browser suites (tests/browser): no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)",
  );
if (DATABASE_URL && NATS_URL) {
  const status = vitest("services mode (PostgreSQL, NATS JetStream)", { ...process.env }, [
    "--project",
    "integration",
    "--project",
    "e2e",
  ]);
  failed ||= status !== 0;
} else {
  const missing = [!DATABASE_URL && "DATABASE_URL", !NATS_URL && "NATS_URL"].filter(Boolean).join(" and ");
  left.push(
    `services-mode run of the integration and e2e suites (PostgreSQL adapters, NATS JetStream bus, services-mode e2e): ${missing} not set`,
  );
}
if (!process.env.NEO4J_URI)
  left.push(
    "Neo4j genealogy adapter suites: NEO4J_URI not set (no Neo4j server on this machine; its Cypher is still linted offline)",
  );
if (left.length) console.log(`\nLeft out of this run:\n${left.map((l) => `  - ${l}`).join("\n")}`);
process.exit(failed ? 1 : 0);
