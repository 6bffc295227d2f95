import { SUBGRAPH_PORTS, type SubgraphName } from "@lotgraph/kit";
import type { StartOptions } from "./options.ts";

/**
 * The port of one subgraph, from the option or LOTGRAPH_SUBGRAPH_PORTS: "ephemeral" (0, the
 * system picks), "default" (4001–4005), or a first port the five follow in SUBGRAPH_PORTS order.
 */
export function subgraphPort(choice: StartOptions["subgraphPorts"] | string | undefined, name: SubgraphName): number {
  if (choice === "ephemeral") return 0;
  const order = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];
  if (typeof choice === "object") return choice.first + order.indexOf(name);
  if (typeof choice === "string" && choice !== "default") return Number(choice) + order.indexOf(name);
  return SUBGRAPH_PORTS[name];
}
