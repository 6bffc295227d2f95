// `npm run restore -- <dir>`: puts a backup made by `npm run backup` into a fresh embedded data
// directory (LOTGRAPH_DATA_DIR) or fresh schemas of the services database (DATABASE_URL), in one
// transaction; in services mode with NEO4J_URI it then rebuilds the genealogy graph there from
// the restored outboxes (that Neo4j database is emptied first). It refuses, with one line and
// exit status 1, a damaged backup, one of the other mode or of migrations this code does not know,
// and a target that already holds data (unless --force). docs/decisions/0026, docs/backup.md.
import { parseArgs } from "node:util";
import { loadEnv } from "@lotgraph/kit";
import { BackupRefused, restore } from "@lotgraph/lotgraph/backup";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      "schema-prefix": { type: "string", default: "lotgraph" },
      force: { type: "boolean", default: false },
    },
  });
  const [dir] = positionals;
  if (!dir || positionals.length > 1) {
    console.error("usage: npm run restore -- <dir> [--force] [--schema-prefix lotgraph]");
    return 2;
  }
  const started = performance.now();
  await restore({
    env: loadEnv(),
    dir,
    schemaPrefix: values["schema-prefix"],
    force: values.force,
    progress: (line) => console.error(line),
  });
  console.error(`restore: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BackupRefused ? error.message : error);
    process.exit(1);
  },
);
