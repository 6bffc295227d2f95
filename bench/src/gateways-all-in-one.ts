/**
 * "Lotgraph all-in-one" for `npm run bench -- gateways`: the subgraphs and the gateway in one
 * process (in-process subgraph calls), in services mode on the same PostgreSQL database and bus
 * namespace the subgraph processes use, so it answers from the same plant. A process of its own
 * so its CPU time can be read like any other gateway's. Reports its URL over IPC.
 */
import { startLotgraph } from "@lotgraph/lotgraph";

try {
  const lotgraph = await startLotgraph({ env: process.env, gatewayPort: 0, subgraphPorts: "ephemeral", quiet: true });
  process.send?.({ type: "ready", url: lotgraph.gatewayUrl });
  const shutdown = () => void lotgraph.stop().finally(() => process.exit(0));
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
} catch (error) {
  process.send?.({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
