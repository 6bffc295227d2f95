import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildLauncher } from "@lotgraph/lotgraph/build";
import { client, creator } from "./gateway-client.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Lots in the plant before the restart: half received, half made by runs from them. */
const LOTS = Number(process.env.BENCH_LOTS ?? 1_000);
const ADMIN_PASSWORD = "bench-admin-password";
/** BENCH_DATA_DIR: a new directory to run in and keep, e.g. to time more restarts of the loaded plant. */
const KEPT_DATA_DIR = process.env.BENCH_DATA_DIR || null;

interface Sample {
  kind: "first start" | "restart";
  readyMs: number;
  /** CPU the process had used when it was ready: the part of the start that load cannot inflate. */
  cpuMs: number;
  rssMiB: number;
}

/**
 * Start-up of the all-in-one process (what `npm start` runs, without the web app: the bundle
 * `npm run build` makes, run by plain node): wall time from spawn to a gateway whose /readyz
 * reports every subgraph ready, the CPU the process had used by then, and its resident memory
 * after a short idle. A first start copies the machine's cluster template and runs the
 * migrations; the very first start on a machine also makes that template (decision 0017), so run
 * the bench twice on a new machine. Between the first start and the restart a plant of BENCH_LOTS
 * lots (default 1,000) is loaded through the gateway, so the restart finds a realistic outbox and
 * event history; the restart reuses the data directory (BENCH_DATA_DIR keeps it: use BENCH_RUNS=1).
 */
export async function main(): Promise<void> {
  const buildStarted = performance.now();
  const launcher = await buildLauncher();
  console.log(`  built ${launcher} in ${fmt((performance.now() - buildStarted) / 1000)} s`);
  const samples: Sample[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dataDir = KEPT_DATA_DIR ?? (await mkdtemp(join(tmpdir(), "lotgraph-bench-")));
    try {
      samples.push(await measure(launcher, dataDir, "first start", loadPlant));
      samples.push(await measure(launcher, dataDir, "restart"));
    } finally {
      if (!KEPT_DATA_DIR) await rm(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`\nall-in-one start-up (embedded mode, without the web app; restart with ${LOTS} lots)`);
  for (const kind of ["first start", "restart"] as const) {
    const of = samples.filter((s) => s.kind === kind);
    const ready = of.map((s) => s.readyMs).sort((a, b) => a - b);
    const cpu = of.map((s) => s.cpuMs).sort((a, b) => a - b);
    const rss = of.map((s) => s.rssMiB).sort((a, b) => a - b);
    console.log(
      `  ${kind.padEnd(12)} ready in ${fmt(median(ready) / 1000)} s (min ${fmt(ready[0]! / 1000)}, max ${fmt(ready.at(-1)! / 1000)})   CPU ${fmt(median(cpu) / 1000)} s   RSS ${median(rss)} MiB (max ${rss.at(-1)})   n=${of.length}`,
    );
  }
}

async function measure(
  launcher: string,
  dataDir: string,
  kind: Sample["kind"],
  afterReady?: (gatewayUrl: string) => Promise<void>,
): Promise<Sample> {
  const port = 14_000 + Math.floor(Math.random() * 1000);
  const started = performance.now();
  const child = spawn(process.execPath, [launcher, "--no-web"], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOTGRAPH_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
      NATS_URL: "",
      LOTGRAPH_SUBGRAPH_PORTS: "ephemeral",
      LOTGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`lotgraph exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("lotgraph was not ready within 120 s");
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const readyMs = performance.now() - started;
    const cpuMs = await cpuTimeMs(child.pid!);
    await new Promise((r) => setTimeout(r, 2_000));
    const sample = { kind, readyMs, cpuMs, rssMiB: await rssMiB(child.pid!) };
    await afterReady?.(`http://127.0.0.1:${port}/graphql`);
    return sample;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

/** BENCH_LOTS lots: half received, half output by runs of ten cycles that consumed them. */
async function loadPlant(gatewayUrl: string): Promise<void> {
  const gql = client(gatewayUrl);
  const token = (
    await gql<{ login: { token: string } }>(null, `mutation ($i: LoginInput!) { login(input: $i) { token } }`, {
      i: { email: "admin@lotgraph.local", password: ADMIN_PASSWORD },
    })
  ).login.token;
  const id = creator(gql, token);
  const site = await id("createLocation", "location", { code: "S-SITE", name: "Site", kind: "SITE" });
  const material = (sku: string, kind: string) =>
    id("createMaterial", "material", { sku, name: sku, uom: "kg", kind, tracking: "LOT" });
  const raw = await material("S-RAW", "RAW");
  const product = await material("S-OUT", "INTERMEDIATE");
  const started = performance.now();
  let runId = "";
  for (let i = 0; i < LOTS / 2; i++) {
    if (i % 10 === 0) {
      const workOrderId = await id("createWorkOrder", "workOrder", {
        productId: product,
        plannedQuantity: "100",
        phases: [{ name: "Make" }],
      });
      await id("releaseWorkOrder", "workOrder", { workOrderId });
      runId = await id("startRun", "run", { workOrderId });
    }
    const lotId = await id("receiveLot", "lot", {
      materialId: raw,
      quantity: "10",
      locationId: site,
      code: `S-R-${i}`,
    });
    await id("consumeLot", "consumption", { runId, lotId, quantity: "10" });
    await gql(token, `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { id } } }`, {
      input: { runId, quantity: "9.5", code: `S-O-${i}`, locationId: site },
    });
  }
  console.log(`  loaded ${LOTS} lots in ${fmt((performance.now() - started) / 1000)} s`);
}

/** User and system time of the process, all threads, from /proc (clock ticks of 10 ms). */
async function cpuTimeMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? 0;
const fmt = (x: number) => x.toFixed(2);
