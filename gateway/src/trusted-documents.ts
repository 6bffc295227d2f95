import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, print, visit, type DocumentNode } from "graphql";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";

const MANIFEST_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schema", "trusted-documents.json");

/**
 * The operations registered with Lotgraph (schema/trusted-documents.json, decision 0021): by id,
 * for requests in the GraphQL-over-HTTP `documentId` form, and by shape, so a client that sends a
 * registered operation's text (the web app's floor display, through urql, which adds
 * `__typename`) is recognised too.
 */
export class TrustedDocuments {
  readonly #byId: ReadonlyMap<string, string>;
  readonly #shapes: ReadonlySet<string>;

  constructor(documents: Record<string, string>) {
    this.#byId = new Map(Object.entries(documents));
    this.#shapes = new Set(Object.values(documents).map((text) => shapeOf(parse(text))));
  }

  static load(path = MANIFEST_PATH): TrustedDocuments {
    return new TrustedDocuments(JSON.parse(readFileSync(path, "utf8")) as Record<string, string>);
  }

  /** The registered text of `id` (`sha256:<hex>`; a bare hex digest is accepted too), or null. */
  text(id: string): string | null {
    return this.#byId.get(id.startsWith("sha256:") ? id : `sha256:${id}`) ?? null;
  }

  /** Whether `query` is a registered operation, whatever its layout and `__typename` selections. */
  has(query: string): boolean {
    try {
      return this.#shapes.has(shapeOf(parse(query)));
    } catch {
      return false;
    }
  }

  get size(): number {
    return this.#byId.size;
  }
}

/** A document's text without layout and without `__typename` (harmless, and added by clients' caches). */
function shapeOf(document: DocumentNode): string {
  const bare = visit(document, {
    Field: (field) => (field.name.value === "__typename" && !field.alias ? null : undefined),
  });
  return createHash("sha256").update(print(bare)).digest("hex");
}

/** The id a request names in the `documentId` form, or in Apollo's `persistedQuery` extension. */
export function documentIdOf(params: Record<string, unknown>): string | null {
  if (typeof params["documentId"] === "string") return params["documentId"];
  const persisted = (params["extensions"] as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === "string" ? persisted.sha256Hash : null;
}

/**
 * Registered operations at the edge: a request that names a `documentId` (and sends no query)
 * runs the registered text; a caller identity limits to registered operations (a service
 * account created with `trustedDocumentsOnly`) is refused anything else with 403 FORBIDDEN.
 */
export function useTrustedDocuments(
  documents: TrustedDocuments,
  limitedToRegistered: (request: Request) => boolean,
): Plugin<Record<string, unknown>> {
  return {
    onParams({ params, request, setParams }) {
      const raw = params as unknown as Record<string, unknown>;
      const id = params.query ? null : documentIdOf(raw);
      if (id) {
        const text = documents.text(id);
        if (!text)
          throw createGraphQLError(`no registered operation has the id ${id}`, {
            extensions: { code: "PERSISTED_QUERY_NOT_FOUND", http: { status: 404 } },
          });
        const { documentId: _id, ...rest } = raw;
        setParams({ ...(rest as GraphQLParams), query: text });
        return;
      }
      if (limitedToRegistered(request) && !(params.query && documents.has(params.query)))
        throw createGraphQLError(
          "this account may run registered operations only: send a registered operation's documentId (schema/trusted-documents.json)",
          { extensions: { code: "FORBIDDEN", reason: "TRUSTED_DOCUMENTS_ONLY", http: { status: 403 } } },
        );
    },
  };
}
