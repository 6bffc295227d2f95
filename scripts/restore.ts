// `npm run restore -- <dir>`: puts a backup made by `npm run backup` into a fresh embedded data
// directory (LOTGRAPH_DATA_DIR) or fresh schemas of the services database (DATABASE_URL), in one
// transaction; in services mode with NEO4J_URI it then rebuilds the genealogy graph there from
// the restored outboxes (that Neo4j database is emptied first). It refuses, with one line and
// exit status 1, a damaged backup, one of the other mode or of migrations this code does not know,
// and a target that already holds data (unless --force). docs/decisions/0026, docs/backup.md.
import { parseArgs } from "node:util";
import { loadEnv } from "@lotgraph/kit";
import { restore, runBackupCommand } from "@lotgraph/lotgraph/backup";

runBackupCommand("restore", async (progress) => {
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
    return "usage";
  }
  await restore({ env: loadEnv(), dir, schemaPrefix: values["schema-prefix"], force: values.force, progress });
  return "done";
});
