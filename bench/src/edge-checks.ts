import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadRequest, LoadResult } from "./gateways-load.ts";
import { buildBundles, freePort, launch, ROOT, stopAll, waitReady, type Launched } from "./gateways-processes.ts";
import { startReporting } from "./gateways-stack.ts";

/**
 * `npm run bench -- edge-checks`: what issue 19's checks add to each request at the gateway
 * (the credential list, the rate limit, CSRF prevention, trusted documents, the access policy in
 * each subgraph, request ids on errors). The same all-in-one bundle (`npm start`, without the web
 * app, embedded mode) is built from `BENCH_BASE_REF` (before the checks; default 7cd4cab) in a
 * worktree of its own and from this checkout, and both answer the same queries from one
 * connection, rounds interleaved: p50 and p95 latency, before and after.
 */
const BASE_REF = process.env.BENCH_BASE_REF ?? "7cd4cab";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN_PASSWORD = "bench-edge-checks-password";

interface Variant {
  name: "before" | "after";
  root: string;
}

interface Running {
  variant: Variant;
  launched: Launched;
  url: string;
  token: string;
  lotId: string;
  dataDir: string;
}

const QUERIES = {
  "me (identity only)": () => `{ me { id name roles } }`,
  "lot by id, 4 subgraphs": (lotId: string) =>
    `{ lot(id: "${lotId}") { code status qualityStatus quantity material { sku } location { code } holds { active } children { id } } }`,
} as const;

export async function main(): Promise<void> {
  const variants: Variant[] = [
    { name: "before", root: await baseWorktree(BASE_REF) },
    { name: "after", root: ROOT },
  ];
  await buildBundles();
  const load = await startReporting("load", "gateways-load.ts", [], process.env);
  const running: Running[] = [];
  try {
    for (const variant of variants) running.push(await start(variant));
    const samples = new Map<string, LoadResult[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [query, text] of Object.entries(QUERIES)) {
        for (const target of running) {
          const request: LoadRequest = {
            url: target.url,
            seconds: SECONDS,
            perConnection: [
              {
                headers: { authorization: `Bearer ${target.token}` },
                body: JSON.stringify({ query: text(target.lotId) }),
              },
            ],
          };
          const key = `${query}|${target.variant.name}`;
          samples.set(key, [...(samples.get(key) ?? []), await measure(load.launched, request)]);
        }
      }
    }
    report(samples);
  } finally {
    await stopAll();
    for (const target of running) await rm(target.dataDir, { recursive: true, force: true });
  }
}

/** A worktree of `ref` with its own generated code and bundles (kept in the system's temp directory between runs). */
async function baseWorktree(ref: string): Promise<string> {
  const commit = execFileSync("git", ["rev-parse", "--short", ref], { cwd: ROOT, encoding: "utf8" }).trim();
  const dir = join(tmpdir(), `lotgraph-bench-base-${commit}`);
  if (!existsSync(join(dir, "apps", "lotgraph", "dist", "main.mjs"))) {
    console.log(`preparing ${ref} (${commit}) in ${dir}: worktree, generated code, bundles (a few minutes, once)`);
    if (!existsSync(dir))
      execFileSync("git", ["worktree", "add", "--detach", dir, commit], { cwd: ROOT, stdio: "ignore" });
    // The packages of this checkout, hard-linked; the workspace links are relative, so they point
    // at the worktree's own sources.
    for (const modules of ["node_modules", "tests/node_modules"]) {
      if (!existsSync(join(dir, modules))) execFileSync("cp", ["-al", join(ROOT, modules), join(dir, modules)]);
    }
    execFileSync(process.execPath, ["scripts/with-generated.mjs"], { cwd: dir, stdio: "ignore" });
    execFileSync(process.execPath, ["apps/lotgraph/build.mjs", "--force"], { cwd: dir, stdio: "ignore" });
  }
  return dir;
}

async function start(variant: Variant): Promise<Running> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), `lotgraph-bench-edge-${variant.name}-`));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    LOTGRAPH_DATA_DIR: dataDir,
    LOTGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOTGRAPH_SUBGRAPH_PORTS: "ephemeral",
    // The limiter runs on every request, as in production, without ever refusing this load.
    LOTGRAPH_RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
  };
  for (const name of ["DATABASE_URL", "NATS_URL", "NEO4J_URI"]) delete env[name];
  const launched = launch(
    `lotgraph ${variant.name}`,
    [join(variant.root, "apps/lotgraph/dist/main.mjs"), "--no-web"],
    env,
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitReady(launched, `http://127.0.0.1:${port}/readyz`);
  const token = await signIn(url);
  const id = async (mutation: string, field: string, input: Record<string, unknown>) => {
    const type = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
    const data = await gql<Record<string, Record<string, { id: string }>>>(
      url,
      token,
      `mutation ($input: ${type}!) { ${mutation}(input: $input) { ${field} { id } } }`,
      { input },
    );
    return data[mutation]![field]!.id;
  };
  const locationId = await id("createLocation", "location", { code: "E-SITE", name: "Site", kind: "SITE" });
  const materialId = await id("createMaterial", "material", {
    sku: "E-RAW",
    name: "Raw",
    uom: "kg",
    kind: "RAW",
    tracking: "LOT",
  });
  const lotId = await id("receiveLot", "lot", { materialId, quantity: "10", locationId, code: "E-1" });
  return { variant, launched, url, token, lotId, dataDir };
}

/** The admin's token; the gateway may answer before the first admin exists (it is made beside it). */
async function signIn(url: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const query = `mutation ($i: LoginInput!) { login(input: $i) { token } }`;
      const answer = await gql<{ login: { token: string } }>(url, null, query, {
        i: { email: "admin@lotgraph.local", password: ADMIN_PASSWORD },
      });
      return answer.login.token;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function gql<T>(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function measure(load: Launched, request: LoadRequest): Promise<LoadResult> {
  return new Promise<LoadResult>((resolve, reject) => {
    load.child.once("message", (m: { type: string; result?: LoadResult; message?: string }) =>
      m.type === "result" ? resolve(m.result!) : reject(new Error(m.message)),
    );
    load.child.send(request);
  });
}

/** Medians over the rounds, per query: before, after, and what the checks add. */
function report(samples: Map<string, LoadResult[]>): void {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `\nedge checks: one connection, ${ROUNDS} rounds × ${SECONDS} s, embedded all-in-one; before = ${BASE_REF}, after = this checkout`,
  );
  console.log(
    "query                       before p50 / p95     after p50 / p95      added p50 / p95    rps before → after   failures",
  );
  for (const query of Object.keys(QUERIES)) {
    const before = samples.get(`${query}|before`)!;
    const after = samples.get(`${query}|after`)!;
    const b = {
      p50: median(before.map((s) => s.p50)),
      p95: median(before.map((s) => s.p95)),
      rps: median(before.map((s) => s.rps)),
    };
    const a = {
      p50: median(after.map((s) => s.p50)),
      p95: median(after.map((s) => s.p95)),
      rps: median(after.map((s) => s.rps)),
    };
    const failures = [...before, ...after].reduce((sum, s) => sum + s.failures, 0);
    console.log(
      `${query.padEnd(27)} ${ms(b.p50)} / ${ms(b.p95)}    ${ms(a.p50)} / ${ms(a.p95)}    ${signed(a.p50 - b.p50)} / ${signed(a.p95 - b.p95)}    ${b.rps.toFixed(0).padStart(5)} → ${a.rps.toFixed(0).padEnd(5)}        ${failures}`,
    );
  }
}

const ms = (value: number) => `${value.toFixed(2).padStart(6)} ms`;
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)} ms`;
