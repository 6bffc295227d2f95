import { performance } from "node:perf_hooks";
import { exitOnStartupFailure, tracesEndpoint } from "@lotgraph/kit";
import { startLotgraph } from "./start-lotgraph.ts";

/** `npm start`: the whole system in one process, URLs and the first admin printed. */
const started = performance.now();
const lotgraph = await startLotgraph({ web: !process.argv.includes("--no-web") }).catch(exitOnStartupFailure);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const memory = Math.round(process.memoryUsage().rss / 1024 / 1024);
const lines = [
  `Lotgraph is ready in ${seconds} s (${lotgraph.env.mode} mode, ${memory} MiB resident)`,
  `  GraphQL   ${lotgraph.gatewayUrl}`,
  `  Web app   ${lotgraph.webUrl ?? "(not started)"}`,
  `  Sign in   ${lotgraph.admin.email}  ${signInHint(lotgraph.admin.passwordFile)}`,
  // Shown only when set up (LOTGRAPH_METRICS_PORT, OTEL_EXPORTER_OTLP_ENDPOINT): docs/operations.md.
  ...(lotgraph.metricsUrl ? [`  Metrics   ${lotgraph.metricsUrl}`] : []),
  ...(lotgraph.tracing.enabled ? [`  Traces    ${tracesEndpoint(process.env)}`] : []),
];
console.log(`\n${lines.join("\n")}\n`);

/** Where the first admin's password is: never on the console, which logs keep. */
function signInHint(passwordFile: string | null): string {
  if (passwordFile) return `password in ${passwordFile} (readable by you only; delete it once you have signed in)`;
  return "(password from LOTGRAPH_ADMIN_PASSWORD, or the file of the first start)";
}

const shutdown = async () => {
  await lotgraph.stop();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
