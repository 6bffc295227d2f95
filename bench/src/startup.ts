import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Sample {
  kind: "first start" | "restart";
  readyMs: number;
  rssMiB: number;
}

/**
 * Start-up of the all-in-one process (what `npm start` runs, without the web app): wall time from
 * spawn to a gateway whose /readyz reports every subgraph ready, and the process's resident
 * memory at that moment and after a short idle. A first start includes migrations; a restart
 * reuses the data directory.
 */
export async function main(): Promise<void> {
  const samples: Sample[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dataDir = await mkdtemp(join(tmpdir(), "lotgraph-bench-"));
    try {
      samples.push(await measure(dataDir, "first start"));
      samples.push(await measure(dataDir, "restart"));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  console.log("\nall-in-one start-up (embedded mode, without the web app)");
  for (const kind of ["first start", "restart"] as const) {
    const of = samples.filter((s) => s.kind === kind);
    const ready = of.map((s) => s.readyMs).sort((a, b) => a - b);
    const rss = of.map((s) => s.rssMiB).sort((a, b) => a - b);
    console.log(
      `  ${kind.padEnd(12)} ready in ${fmt(median(ready) / 1000)} s (min ${fmt(ready[0]! / 1000)}, max ${fmt(ready.at(-1)! / 1000)})   RSS ${median(rss)} MiB (max ${rss.at(-1)})   n=${of.length}`,
    );
  }
}

async function measure(dataDir: string, kind: Sample["kind"]): Promise<Sample> {
  const port = 14_000 + Math.floor(Math.random() * 1000);
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "gateway", "src", "main.ts"), "--no-web"], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOTGRAPH_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
      NATS_URL: "",
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
    await new Promise((r) => setTimeout(r, 2_000));
    return { kind, readyMs, rssMiB: await rssMiB(child.pid!) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? 0;
const fmt = (x: number) => x.toFixed(2);
