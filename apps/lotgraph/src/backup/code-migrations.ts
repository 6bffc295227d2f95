import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readMigrations, type Migration, type SubgraphName } from "@lotgraph/kit";
import { BackupRefused, type AppliedMigration } from "./backup-format.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** The migrations this code applies to a subgraph's schema, in order: the kit's, then its own (as Database.open). */
export async function codeMigrations(subgraph: SubgraphName): Promise<Migration[]> {
  return [
    ...(await readMigrations(join(ROOT, "subgraphs", "kit", "migrations"), "kit/")),
    ...(await readMigrations(join(ROOT, "subgraphs", subgraph, "prisma", "migrations"))),
  ];
}

/**
 * The code's migrations that the backup had applied, in the code's order. A migration the code
 * does not know, or knows with other contents, means the backup was made by another version:
 * its tables may not be the ones this code would create, so the restore is refused.
 */
export function migrationsToReplay(
  subgraph: SubgraphName,
  applied: readonly AppliedMigration[],
  code: readonly Migration[],
): Migration[] {
  const known = new Map(code.map((migration) => [migration.id, migration]));
  for (const migration of applied) {
    const ours = known.get(migration.id);
    if (!ours) {
      throw new BackupRefused(
        `restore refused: the backup's ${subgraph} has migration ${migration.id}, which this Lotgraph does not know; restore it with the version that made it`,
      );
    }
    if (ours.checksum !== migration.checksum) {
      throw new BackupRefused(
        `restore refused: the backup's ${subgraph} migration ${migration.id} differs from this Lotgraph's (checksum ${migration.checksum.slice(0, 12)}…, here ${ours.checksum.slice(0, 12)}…)`,
      );
    }
  }
  const ids = new Set(applied.map((migration) => migration.id));
  return code.filter((migration) => ids.has(migration.id));
}
