import { pgliteDriver, type SubgraphName } from "@lotgraph/kit";
import type { SnapshotChunk } from "./backup-format.ts";
import { readSnapshot } from "./snapshot-reader.ts";

type PGliteConnection = Parameters<typeof pgliteDriver>[0];

/**
 * The whole embedded database read in one transaction of the engine. PGlite is one session used
 * in turn: while this transaction runs, no other statement of any subgraph does, so every schema
 * is read as of one instant. It is read into memory and handed back after the commit, so the
 * engine is held only for the reading, not for the writing to disk or the network (an embedded
 * plant's data fits in memory; a services plant is read by {@link readSnapshot} as it streams).
 */
export async function takeEmbeddedSnapshot(
  connection: PGliteConnection,
  schemas: ReadonlyArray<{ subgraph: SubgraphName; schema: string }>,
): Promise<SnapshotChunk[]> {
  return pgliteDriver(connection).transaction(async (tx) => {
    const chunks: SnapshotChunk[] = [];
    for await (const chunk of readSnapshot(tx, schemas)) chunks.push(chunk);
    return chunks;
  });
}

export function schemasOf(
  subgraphs: readonly SubgraphName[],
  prefix: string,
): Array<{ subgraph: SubgraphName; schema: string }> {
  return subgraphs.map((subgraph) => ({ subgraph, schema: `${prefix}_${subgraph}` }));
}
