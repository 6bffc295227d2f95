import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createServer } from "node:net";
import { StartupError, type Logger } from "@lotgraph/kit";
import { freePort } from "./free-port.ts";

const WEB_START_TIMEOUT_MS = 120_000;
/** Ends the web server with the process that started it (exit-with-parent.mjs says why). */
const EXIT_WITH_PARENT = new URL("./exit-with-parent.mjs", import.meta.url).href;

/** The web package and its Next.js CLI, found as Node finds packages (no path into the repository). */
function webPaths(): { webDir: string; nextBin: string } {
  const require = createRequire(import.meta.url);
  const webDir = dirname(require.resolve("@lotgraph/web/package.json"));
  return { webDir, nextBin: require.resolve("next/dist/bin/next", { paths: [webDir] }) };
}

/**
 * Serves the web app's production build, building it first when there is none (`npm run dev -w
 * @lotgraph/web` is the development server). It listens on `host` (all interfaces by default, so
 * tablets and displays on the plant's network reach it); the browser then calls the gateway by
 * the same host name (web/src/lib/gateway-url.ts).
 */
export async function startWeb(
  gatewayUrl: string,
  port: number,
  host: string,
  logger: Logger,
): Promise<{ web: ChildProcess; webUrl: string }> {
  const { webDir, nextBin } = webPaths();
  const env = {
    ...process.env,
    LOTGRAPH_GATEWAY_URL: gatewayUrl,
    NEXT_PUBLIC_GATEWAY_URL: gatewayUrl,
    GATEWAY_URL: gatewayUrl,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!existsSync(join(webDir, ".next", "BUILD_ID"))) {
    logger.info("building the web app (first start only; about a minute)");
    await buildWeb(nextBin, webDir, env);
  }
  const actualPort = port === 0 ? await freePort() : port;
  await refuseTakenPort(actualPort, host);
  const web = spawn(
    process.execPath,
    ["--import", EXIT_WITH_PARENT, nextBin, "start", "-p", String(actualPort), "-H", host],
    { cwd: webDir, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const webUrl = `http://127.0.0.1:${actualPort}`;
  await waitUntilHealthy(web, webUrl);
  return { web, webUrl };
}

/**
 * Refuses a web port another program holds, as the gateway and metrics ports are refused: Next.js
 * would fail on its own, but a health check answered by that other program would pass first.
 */
async function refuseTakenPort(port: number, host: string): Promise<void> {
  const taken = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const probe = createServer();
    probe.once("error", resolve);
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
  if (taken?.code === "EADDRINUSE")
    throw new StartupError(
      "WEB_PORT",
      `the web app cannot listen on ${host}:${port}: another program (perhaps the web app of a Lotgraph that was killed) already uses that port. Stop it, or choose another port.`,
    );
  if (taken) throw taken;
}

/** `next build`, its last errors in the exception when it fails. */
async function buildWeb(nextBin: string, webDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const build = spawn(process.execPath, [nextBin, "build"], { cwd: webDir, env, stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  build.stderr?.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  const code = await new Promise<number | null>((resolve) => build.once("exit", resolve));
  if (code !== 0) throw new Error(`building the web app failed (exit ${code}):\n${errors}`);
}

/** Polls the app's /healthz until it answers; stops the process if it never does. */
async function waitUntilHealthy(web: ChildProcess, webUrl: string): Promise<void> {
  const deadline = Date.now() + WEB_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (web.exitCode !== null) throw new Error(`the web app exited with code ${web.exitCode}`);
    const ok = await fetch(`${webUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  web.kill("SIGTERM");
  throw new Error(`the web app did not start within ${WEB_START_TIMEOUT_MS / 1000} s`);
}
