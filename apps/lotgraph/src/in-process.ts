import type { InProcessSubgraph } from "@lotgraph/gateway/in-process-subgraph";
import type { SubgraphApp } from "@lotgraph/kit";

/** A subgraph's handler is its yoga instance, whose envelop the gateway can run in process. */
export function inProcessSubgraph(app: SubgraphApp): InProcessSubgraph {
  if (!("getEnveloped" in app.handler)) throw new Error(`subgraph ${app.name}: its handler is not a yoga instance`);
  return app.handler as unknown as InProcessSubgraph;
}

/** Every subgraph of this process by name, for the gateway to call without a socket. */
export function inProcessSubgraphs(apps: readonly SubgraphApp[]): Record<string, InProcessSubgraph> {
  return Object.fromEntries(apps.map((app): [string, InProcessSubgraph] => [app.name, inProcessSubgraph(app)]));
}
