import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, print, validate, type GraphQLSchema } from "graphql";

/** The registered operations by id (`sha256:<hex of the document's text>`), as the gateway loads them. */
export type TrustedDocuments = Record<string, string>;

export const TRUSTED_DOCUMENTS_PATH = "schema/trusted-documents.json";

/** A document's id: the sha256 of its exact text (the GraphQL-over-HTTP persisted documents form). */
export function documentId(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/**
 * Every registered operation: the web app's (codegen's persisted documents) and each integrator's
 * `.graphql` file in schema/trusted-documents/ (printed without its comments), each checked
 * against the API schema so a registered operation cannot refer to a field that is gone.
 */
export async function collectTrustedDocuments(options: {
  webPersistedDocuments: string;
  integratorDir: string;
  api: GraphQLSchema;
}): Promise<TrustedDocuments> {
  const web = JSON.parse(await readFile(options.webPersistedDocuments, "utf8")) as TrustedDocuments;
  const documents: TrustedDocuments = {};
  for (const text of Object.values(web)) documents[documentId(text)] = text;
  const files = (await readdir(options.integratorDir)).filter((file) => file.endsWith(".graphql")).sort();
  for (const file of files) {
    const text = print(parse(await readFile(join(options.integratorDir, file), "utf8")));
    documents[documentId(text)] = text;
  }
  for (const [id, text] of Object.entries(documents)) {
    const errors = validate(options.api, parse(text));
    if (errors.length) throw new Error(`trusted document ${id} does not validate: ${errors[0]!.message}\n${text}`);
  }
  return Object.fromEntries(Object.entries(documents).sort(([a], [b]) => a.localeCompare(b)));
}

/** The committed file's text for `documents`. */
export function renderTrustedDocuments(documents: TrustedDocuments): string {
  return `${JSON.stringify(documents, null, 2)}\n`;
}
