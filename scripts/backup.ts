// `npm run backup -- <dir>`: a consistent copy of every subgraph's data, with a manifest and
// checksums (docs/decisions/0026, docs/backup.md). Services mode (DATABASE_URL) reads every schema in
// one snapshot while Lotgraph runs; embedded mode asks the running process for its snapshot, or
// reads LOTGRAPH_DATA_DIR itself when nothing runs on it. Progress on stderr; a refusal is one
// line and exit status 1.
import { parseArgs } from "node:util";
import { loadEnv } from "@lotgraph/kit";
import { backup, runBackupCommand } from "@lotgraph/lotgraph/backup";

runBackupCommand("backup", async (progress) => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { "schema-prefix": { type: "string", default: "lotgraph" } },
  });
  const [dir] = positionals;
  if (!dir || positionals.length > 1) {
    console.error("usage: npm run backup -- <dir> [--schema-prefix lotgraph]");
    return "usage";
  }
  await backup({ env: loadEnv(), dir, schemaPrefix: values["schema-prefix"], progress });
  return "done";
});
