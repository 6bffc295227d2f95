import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { collectTrustedDocuments, documentId, renderTrustedDocuments } from "../src/trusted-documents.ts";

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe("schema/trusted-documents.json", () => {
  it("holds exactly the web app's operations and the integrators' files, each valid against the API", async () => {
    const documents = await collectTrustedDocuments({
      webPersistedDocuments: at("web/src/gql/persisted-documents.json"),
      integratorDir: at("schema/trusted-documents"),
      api: buildSchema(await readFile(at("schema/api.graphql"), "utf8")),
    });
    const committed = await readFile(at("schema/trusted-documents.json"), "utf8");
    expect(committed, "stale: run npm run trusted-documents").toBe(renderTrustedDocuments(documents));
    for (const [id, text] of Object.entries(documents)) expect(documentId(text)).toBe(id);
    expect(Object.values(documents).some((text) => text.startsWith("query ErpLotByCode"))).toBe(true);
  });
});
