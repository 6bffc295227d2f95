// `npm run trusted-documents` (--write) and its check (--check): schema/trusted-documents.json
// from the web app's persisted documents and schema/trusted-documents/*.graphql (decision 0021).
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildSchema } from "graphql";
import { TRUSTED_DOCUMENTS_PATH, collectTrustedDocuments, renderTrustedDocuments } from "./trusted-documents.ts";

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const mode = process.argv[2];
if (mode !== "--write" && mode !== "--check" && mode !== "--list") {
  console.error("usage: trusted-documents-cli.ts --write | --check | --list");
  process.exit(2);
}
const documents = await collectTrustedDocuments({
  webPersistedDocuments: at("web/src/gql/persisted-documents.json"),
  integratorDir: at("schema/trusted-documents"),
  api: buildSchema(await readFile(at("schema/api.graphql"), "utf8")),
});
const rendered = renderTrustedDocuments(documents);
if (mode === "--list") {
  for (const [id, text] of Object.entries(documents))
    process.stdout.write(`${id}  ${/^\w+ (\w+)/.exec(text)?.[1] ?? "(anonymous)"}\n`);
} else if (mode === "--write") {
  await writeFile(at(TRUSTED_DOCUMENTS_PATH), rendered);
  process.stdout.write(`${Object.keys(documents).length} trusted documents → ${TRUSTED_DOCUMENTS_PATH}\n`);
} else {
  const committed = await readFile(at(TRUSTED_DOCUMENTS_PATH), "utf8").catch(() => "");
  if (committed !== rendered) {
    console.error(`${TRUSTED_DOCUMENTS_PATH} is stale: run npm run trusted-documents`);
    process.exit(1);
  }
  process.stdout.write(`${TRUSTED_DOCUMENTS_PATH} is up to date (${Object.keys(documents).length} documents)\n`);
}
