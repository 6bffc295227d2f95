import type { Session } from "neo4j-driver";

/** Where the store reports what it cannot throw: a session that failed to close. */
export type Neo4jWarn = (context: Record<string, unknown>, message: string) => void;

/**
 * Ends a session without letting its error replace the work's outcome: a failed close after a
 * failed query would hide why the query failed, and after a committed write would report a
 * failure for work that is done. The driver drops a connection it could not release.
 */
export async function closeQuietly(session: Session, warn: Neo4jWarn): Promise<void> {
  try {
    await session.close();
  } catch (error) {
    warn({ err: error }, "a Neo4j session failed to close");
  }
}
