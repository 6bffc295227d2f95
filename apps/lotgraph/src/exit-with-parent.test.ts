import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const PRELOAD = new URL("./exit-with-parent.mjs", import.meta.url).href;

/**
 * Whether a process runs (signal 0 checks without sending anything). An exited process its new
 * parent has not reaped yet (a container's first process may never reap) is a zombie: not running.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false; // gone between the two checks
  }
}

describe("exit-with-parent (the web app's server)", () => {
  it("ends a child whose parent was killed outright, and only then", async () => {
    // A parent that starts a long-running child with the preload, prints its pid, and waits.
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");
         const child = spawn(process.execPath, ["--import", ${JSON.stringify(PRELOAD)}, "-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
         console.log(child.pid);
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const childPid = await new Promise<number>((resolve) =>
      parent.stdout!.setEncoding("utf8").once("data", (text: string) => resolve(Number(text.trim()))),
    );
    // Alive while its parent is: the preload does not end a server that is in use.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alive(childPid)).toBe(true);

    parent.kill("SIGKILL");
    const deadline = Date.now() + 5000;
    while (alive(childPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const survived = alive(childPid);
    if (survived) process.kill(childPid, "SIGKILL");
    expect(survived).toBe(false);
  });
});
