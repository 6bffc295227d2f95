import { loadNeo4jConfig } from "@lotgraph/traceability/genealogy";
import type { LotgraphEnv, SubgraphName } from "@lotgraph/kit";
import { BACKED_UP_SUBGRAPHS, BackupRefused, type BackupManifest, type Progress } from "./backup-format.ts";
import { codeMigrations, migrationsToReplay } from "./code-migrations.ts";
import { rebuildRestoredGenealogy } from "./genealogy-rebuild.ts";
import { openRestoreTarget } from "./restore-target.ts";
import { loadSchema } from "./schema-loader.ts";
import { verifyBackup } from "./verify-backup.ts";

export interface RestoreOptions {
  env: LotgraphEnv;
  /** Environment read for the Neo4j settings (NEO4J_*); defaults to process.env. */
  neo4jEnv?: Record<string, string | undefined>;
  dir: string;
  /** The schemas written are `<prefix>_<subgraph>`; `lotgraph` unless a test isolates itself. */
  schemaPrefix?: string;
  /** Replace a database that is already there (never under a running embedded process). */
  force?: boolean;
  progress?: Progress;
}

/**
 * `npm run restore`: checks the backup whole and meant for this code and mode, then recreates
 * every subgraph schema in one transaction (all of it, or nothing), then, in services mode with
 * Neo4j, rebuilds the genealogy graph from the restored outboxes.
 */
export async function restore(options: RestoreOptions): Promise<BackupManifest> {
  const { env, dir } = options;
  const progress = options.progress ?? (() => undefined);
  const prefix = options.schemaPrefix ?? "lotgraph";
  const manifest = await verifyBackup(dir, progress);
  if (manifest.mode !== env.mode) {
    throw new BackupRefused(
      `restore refused: the backup is of ${manifest.mode} mode and this Lotgraph runs in ${env.mode} mode (${env.DATABASE_URL ? "DATABASE_URL is set" : "DATABASE_URL is not set"})`,
    );
  }
  const plan = await Promise.all(
    BACKED_UP_SUBGRAPHS.map(async (subgraph: SubgraphName) => {
      const backup = manifest.subgraphs[subgraph];
      if (!backup) throw new BackupRefused(`restore refused: the backup has no ${subgraph} subgraph`);
      return {
        subgraph,
        backup,
        migrations: migrationsToReplay(subgraph, backup.migrations, await codeMigrations(subgraph)),
      };
    }),
  );
  const target = await openRestoreTarget(env, prefix, options.force ?? false, progress);
  try {
    await target.inTransaction(async (tx) => {
      for (const { subgraph, backup, migrations } of plan) {
        const schema = `${prefix}_${subgraph}`;
        progress(`restore: ${subgraph} into schema ${schema} (${migrations.length} migrations)`);
        await loadSchema(tx, { dir, subgraph, schema, backup, migrations, progress });
      }
    });
  } finally {
    await target.close();
  }
  const neo4j = env.DATABASE_URL ? loadNeo4jConfig(options.neo4jEnv ?? process.env) : null;
  if (env.DATABASE_URL && neo4j) await rebuildRestoredGenealogy(env.DATABASE_URL, prefix, neo4j, progress);
  return manifest;
}
