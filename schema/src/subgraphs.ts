import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Where one subgraph's SDL lives and where the gateway reaches it by default. */
export interface SubgraphSource {
  readonly name: string;
  /** Absolute path of the subgraph's `schema.graphql`. */
  readonly sdlPath: string;
  /** SDL every subgraph serves beside its own: the kit's internal audit and change-history reads (subgraphs/kit/*.graphql). */
  readonly sharedSdlPaths?: readonly string[];
  /** Routing URL written into the committed supergraph; the gateway overrides it from env. */
  readonly url: string;
}

/** A subgraph with its SDL text, the input of composition. */
export interface SubgraphSdl {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

// Resolved from this module so `npm run compose` works from any working directory.
function sdlPathOf(name: string): string {
  return fileURLToPath(new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url));
}

const KIT_AUDIT_SDL = fileURLToPath(new URL("../../subgraphs/kit/audit.graphql", import.meta.url));
const KIT_CHANGES_SDL = fileURLToPath(new URL("../../subgraphs/kit/changes.graphql", import.meta.url));

function source(name: string, port: number): SubgraphSource {
  return {
    name,
    sdlPath: sdlPathOf(name),
    sharedSdlPaths: [KIT_AUDIT_SDL, KIT_CHANGES_SDL],
    url: `http://localhost:${port}/graphql`,
  };
}

/**
 * The subgraphs composed into the supergraph. Order matters only for output stability:
 * keep it fixed so the committed supergraph does not churn.
 */
export const subgraphs: readonly SubgraphSource[] = [
  source("identity", 4001),
  source("inventory", 4002),
  source("production", 4003),
  source("quality", 4004),
  source("traceability", 4005),
  {
    // Not a service: the gateway's own live layer (gateway/live.graphql). Composed so the
    // Subscription type is in the supergraph; no query plan reaches it (its entities are
    // `resolvable: false`), and its URL is the gateway itself.
    name: "live",
    sdlPath: fileURLToPath(new URL("../../gateway/live.graphql", import.meta.url)),
    url: "http://localhost:4000/graphql",
  },
];

/** Result of reading the SDL files: what was read, and which files could not be. */
export interface LoadedSubgraphs {
  readonly loaded: readonly SubgraphSdl[];
  readonly missing: readonly SubgraphSource[];
}

/** Reads every subgraph's SDL; missing files are reported rather than thrown so all show at once. */
export async function loadSubgraphSdls(list: readonly SubgraphSource[]): Promise<LoadedSubgraphs> {
  const results = await Promise.all(
    list.map(async (s) => {
      try {
        const parts = await Promise.all([s.sdlPath, ...(s.sharedSdlPaths ?? [])].map((path) => readFile(path, "utf8")));
        return { source: s, sdl: parts.join("\n") };
      } catch (error) {
        if (isMissingFile(error)) return { source: s, sdl: undefined };
        throw error;
      }
    }),
  );
  const loaded: SubgraphSdl[] = [];
  const missing: SubgraphSource[] = [];
  for (const r of results) {
    if (r.sdl === undefined) missing.push(r.source);
    else loaded.push({ name: r.source.name, url: r.source.url, sdl: r.sdl });
  }
  return { loaded, missing };
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
