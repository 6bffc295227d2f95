import { SUBGRAPH_PORTS, type SubgraphName } from "@lotgraph/kit";

export const SUBGRAPH_NAMES = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];

/** Env variable naming each subgraph's URL in services mode, e.g. INVENTORY_URL. */
export const urlVariable = (name: SubgraphName) => `${name.toUpperCase()}_URL`;

/** Subgraph URLs from the environment, defaulting to localhost and the standard ports. */
export function subgraphUrlsFromEnv(
  source: Record<string, string | undefined> = process.env,
): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      source[urlVariable(name)] ?? `http://localhost:${SUBGRAPH_PORTS[name]}/graphql`,
    ]),
  ) as Record<SubgraphName, string>;
}
