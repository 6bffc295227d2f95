import { pgSession, type SubgraphName } from "@lotgraph/kit";
import type { SnapshotChunk } from "./backup-format.ts";
import { readSnapshot } from "./snapshot-reader.ts";

/**
 * Every subgraph schema of the services database read in one REPEATABLE READ READ ONLY
 * transaction: one snapshot of all schemas, taken while the services keep writing (PostgreSQL's
 * MVCC: nobody waits for the backup, and it sees nothing committed after it began). Chunks are
 * handed on as they are read, so a large plant is never held in memory. No pg_dump needed.
 */
export async function* servicesSnapshot(
  databaseUrl: string,
  schemas: ReadonlyArray<{ subgraph: SubgraphName; schema: string }>,
): AsyncGenerator<SnapshotChunk> {
  const session = await pgSession(databaseUrl, "lotgraph-backup");
  try {
    await session.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    yield* readSnapshot(session, schemas);
    await session.exec("COMMIT");
  } finally {
    await session.close();
  }
}
