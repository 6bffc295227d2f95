import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildLauncher, buildScript, LAUNCHER_BUNDLE, serviceBundle } from "@lotgraph/lotgraph/build";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"] as const;
export type Service = (typeof SUBGRAPHS)[number] | "gateway";

/**
 * How a service runs as its own process: its compiled bundle, `apps/lotgraph/dist/<name>.mjs`, as
 * production runs it (decision 0018). The bench builds the bundles first ({@link buildBundles}).
 */
export function serviceCommand(name: Service): string[] {
  return [serviceBundle(name)];
}

/** The all-in-one process as `npm start` runs it, without the web app. */
export function allInOneCommand(): string[] {
  return [LAUNCHER_BUNDLE, "--no-web"];
}

/** Builds the service and launcher bundles unless they are up to date. */
export async function buildBundles(): Promise<void> {
  await buildLauncher();
}

/**
 * A bench module run as a process of its own (peers, the load), compiled to JavaScript first:
 * under tsx, every stack trace a peer's HTTP client builds per request would be source-mapped,
 * a cost no production gateway pays. Our workspace packages are bundled in; npm packages load
 * from node_modules as usual.
 */
export async function benchScriptCommand(file: string): Promise<string[]> {
  const outfile = join(ROOT, "bench", "dist", file.replace(/\.ts$/, ".mjs"));
  await buildScript(join(ROOT, "bench", "src", file), outfile);
  return [outfile];
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

/** A port free now; services are told theirs before they start, as peers need each other's URLs. */
export { freePort } from "@lotgraph/lotgraph/free-port";

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
