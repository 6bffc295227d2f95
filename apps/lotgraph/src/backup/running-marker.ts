import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LotgraphEnv } from "@lotgraph/kit";

/**
 * The file by which a running all-in-one process says, in its embedded data directory, that it
 * holds the database open and where its gateway answers. PGlite takes no lock of its own on its
 * directory, and two engines on one directory corrupt it (decision 0015), so the backup and
 * restore commands look here before they open anything: a running process is asked for the
 * snapshot over its gateway, a stopped one leaves the directory to them.
 */
export const RUNNING_MARKER = "lotgraph.running.json";

export interface RunningMarker {
  pid: number;
  /** The gateway's base URL (no path). */
  gatewayUrl: string;
  /** The schema prefix its subgraphs use (`lotgraph` unless a test isolates itself). */
  schemaPrefix: string;
}

export async function writeRunningMarker(dataDir: string, marker: RunningMarker): Promise<void> {
  await writeFile(join(dataDir, RUNNING_MARKER), JSON.stringify(marker), { mode: 0o600 });
}

export async function removeRunningMarker(dataDir: string): Promise<void> {
  await rm(join(dataDir, RUNNING_MARKER), { force: true });
}

/** The marker of a process that is still alive; a marker left by a killed process counts for nothing. */
export async function runningProcessOf(dataDir: string): Promise<RunningMarker | null> {
  const text = await readFile(join(dataDir, RUNNING_MARKER), "utf8").catch(() => null);
  if (text === null) return null;
  const marker = JSON.parse(text) as RunningMarker;
  return isAlive(marker.pid) ? marker : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another account.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Called once the gateway answers: in embedded mode, says so in the data directory. */
export async function markRunning(
  env: LotgraphEnv,
  running: { gatewayUrl: string; schemaPrefix: string },
): Promise<void> {
  if (env.mode !== "embedded") return;
  await writeRunningMarker(env.LOTGRAPH_DATA_DIR, {
    pid: process.pid,
    gatewayUrl: new URL(running.gatewayUrl).origin,
    schemaPrefix: running.schemaPrefix,
  });
}

export async function markStopped(env: LotgraphEnv): Promise<void> {
  if (env.mode === "embedded") await removeRunningMarker(env.LOTGRAPH_DATA_DIR);
}
