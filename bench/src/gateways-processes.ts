import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"] as const;
export type Service = (typeof SUBGRAPHS)[number] | "gateway";

/**
 * How a service runs as its own process: the compiled bundle `apps/lotgraph/dist/<name>.mjs`
 * when `node apps/lotgraph/build.mjs` has made one (what production runs), otherwise its
 * TypeScript entry through tsx's loader. `--import tsx` keeps one process (the `tsx` CLI would
 * fork a second), so the pid we read CPU time from is the one doing the work.
 */
export function serviceCommand(name: Service): string[] {
  const bundle = join(ROOT, "apps", "lotgraph", "dist", `${name}.mjs`);
  if (existsSync(bundle)) return [bundle];
  const entry =
    name === "gateway" ? join(ROOT, "gateway", "src", "index.ts") : join(ROOT, "subgraphs", name, "src", "index.ts");
  return ["--import", "tsx", entry];
}

/** A bench module run as a process of its own through tsx (peers, the all-in-one, the load). */
export function benchScriptCommand(file: string): string[] {
  return ["--import", "tsx", join(ROOT, "bench", "src", file)];
}

/** Every child this bench started, killed on exit, on Ctrl-C and on an uncaught failure. */
const children = new Set<ChildProcess>();
let hooked = false;

function killAll(signal: NodeJS.Signals = "SIGTERM"): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => killAll("SIGKILL"));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export interface Launched {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines it wrote to stderr, for the message when it fails to start. */
  stderrTail(): string;
}

export function launch(name: string, args: string[], env: Record<string, string | undefined>, ipc = false): Launched {
  hookExit();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ipc ? ["ignore", "ignore", "pipe", "ipc"] : ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
  });
  return { name, child, pid: child.pid!, stderrTail: () => tail.trim() };
}

/** Stops one child politely, then for good after five seconds. */
export async function stop(launched: Launched): Promise<void> {
  const { child } = launched;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Stops every child: SIGTERM, then SIGKILL for any still running after five seconds. */
export async function stopAll(): Promise<void> {
  const running = [...children];
  killAll();
  const timer = setTimeout(() => killAll("SIGKILL"), 5_000);
  await Promise.all(
    running.map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve),
        ),
    ),
  );
  clearTimeout(timer);
}

/** A port free now: listening on 0 and closing. The services are told theirs before they start, as peers need each other's URLs. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits for `url` to answer 200 (a /readyz), failing early with the child's stderr if it exits. */
export async function waitReady(launched: Launched, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (launched.child.exitCode !== null)
      throw new Error(`${launched.name} exited with ${launched.child.exitCode}: ${launched.stderrTail()}`);
    if (Date.now() > deadline) throw new Error(`${launched.name} was not ready within ${timeoutMs / 1000} s`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** User + system CPU time of one process, all its threads, in ms (clock ticks of 10 ms). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The whole machine's busy and total jiffies from /proc/stat, to report its CPU use over a span. */
export async function machineTicks(): Promise<{ busy: number; total: number }> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}
