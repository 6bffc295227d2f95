import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

/** SIGTERM, as a supervisor stops a process; resolves to its exit code (null if it had died by a signal). */
export async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}
