#!/usr/bin/env node
// `npm test`: every suite in embedded mode (PGlite, in-process bus), then the integration and
// end-to-end suites again in services mode (PostgreSQL + NATS JetStream) when DATABASE_URL and
// NATS_URL are set. Without them it says which services-mode suites it left out, and why.
// Extra arguments go to vitest. `--project X` (repeatable) narrows both runs to those projects:
// `npm test -- --project unit` runs the unit project once, in embedded mode only.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const { projects: chosen, rest: extra } = splitProjects(process.argv.slice(2));

/** The `--project X` / `--project=X` arguments apart from the rest. */
function splitProjects(args) {
  const projects = [];
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--project" && i + 1 < args.length) projects.push(args[++i]);
    else if (args[i].startsWith("--project=")) projects.push(args[i].slice("--project=".length));
    else rest.push(args[i]);
  }
  return { projects, rest };
}

/** `--project` arguments for the projects of `all` this run keeps (all of them unless some were chosen). */
function projectArgs(all) {
  const kept = chosen.length ? all.filter((p) => chosen.includes(p)) : all;
  return kept.flatMap((p) => ["--project", p]);
}
const { DATABASE_URL, NATS_URL, NEO4J_URI } = process.env;
// Embedded mode means no server at all: the Neo4j settings go too, or a stack started by an
// embedded test would put its genealogy in Neo4j.
const embeddedEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !["DATABASE_URL", "NATS_URL"].includes(name) && !name.startsWith("NEO4J_"),
  ),
);
const browser = existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");

function vitest(label, env, args) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync("npx", ["vitest", "run", ...args, ...extra], { stdio: "inherit", env });
  return result.status ?? 1;
}

const known = ["unit", "integration", "e2e", "browser"];
const unknown = chosen.filter((p) => !known.includes(p));
if (unknown.length) {
  console.error(`Unknown project ${unknown.join(", ")}: the projects are ${known.join(", ")}.`);
  process.exit(2);
}
// The browser suite runs on its own: its files go one at a time (one Chromium and one web server
// each), and in the same vitest run that setting held back the other projects' parallel files.
const embeddedProjects = projectArgs(known.filter((p) => p !== "browser"));
const browserProjects = browser ? projectArgs(["browser"]) : [];
let failed = false;
if (embeddedProjects.length)
  failed = vitest("embedded mode (PGlite, in-process bus)", embeddedEnv, embeddedProjects) !== 0;
if (browserProjects.length)
  failed = vitest("browser (embedded mode, Chromium)", embeddedEnv, browserProjects) !== 0 || failed;
const servicesProjects = projectArgs(["integration", "e2e"]);

const left = [];
if (!browser && (!chosen.length || chosen.includes("browser")))
  left.push(
    "browser suites (tests/browser): no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)",
  );
if (!servicesProjects.length) {
  // Only unit or browser projects chosen: they have no services-mode run.
} else if (DATABASE_URL && NATS_URL) {
  const label = NEO4J_URI
    ? "services mode (PostgreSQL, NATS JetStream, Neo4j)"
    : "services mode (PostgreSQL, NATS JetStream; genealogy in SQL, NEO4J_URI not set)";
  const status = vitest(label, { ...process.env }, servicesProjects);
  failed ||= status !== 0;
} else {
  const missing = [!DATABASE_URL && "DATABASE_URL", !NATS_URL && "NATS_URL"].filter(Boolean).join(" and ");
  left.push(
    `services-mode run of the integration and e2e suites (PostgreSQL adapters, NATS JetStream bus, services-mode e2e): ${missing} not set`,
  );
}
if (!NEO4J_URI && servicesProjects.length)
  left.push(
    "Neo4j: NEO4J_URI not set, so the Neo4j conformance run and the services-mode suites on Neo4j were left out (start one with infra/neo4j-dev/start.sh)",
  );
if (left.length) console.log(`\nLeft out of this run:\n${left.map((l) => `  - ${l}`).join("\n")}`);
process.exit(failed ? 1 : 0);
