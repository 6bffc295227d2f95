import { composeServices } from "@apollo/composition";
import { Supergraph, printSchema as printFederationSchema } from "@apollo/federation-internals";
import type { ServiceDefinition } from "@apollo/federation-internals";
import { buildSchema, lexicographicSortSchema, parse, printSchema } from "graphql";
import type { GraphQLError } from "graphql";
import type { SubgraphSdl } from "./subgraphs.ts";

/** One composition error or hint, flattened to what a person needs to act on it. */
export interface CompositionMessage {
  /** Apollo's error or hint code, e.g. `FIELD_TYPE_MISMATCH`. */
  readonly code: string;
  readonly message: string;
}

/** Outcome of composing the subgraphs. The SDLs are absent exactly when `errors` is non-empty. */
export interface ComposeResult {
  readonly supergraphSdl: string | undefined;
  /** The client-facing schema: no join__/link__ machinery, `@inaccessible` elements removed, sorted. */
  readonly apiSchemaSdl: string | undefined;
  readonly errors: readonly CompositionMessage[];
  readonly hints: readonly CompositionMessage[];
}

/**
 * Composes subgraph SDLs into a Federation 2 supergraph and derives its API schema.
 * Never throws for bad input: syntax errors and composition errors both land in `errors`.
 */
export function composeSupergraph(list: readonly SubgraphSdl[]): ComposeResult {
  const services: ServiceDefinition[] = [];
  const parseErrors: CompositionMessage[] = [];
  for (const s of list) {
    try {
      services.push({ name: s.name, url: s.url, typeDefs: parse(s.sdl) });
    } catch (error) {
      parseErrors.push({
        code: "INVALID_GRAPHQL",
        message: `[${s.name}] ${errorMessage(error)}`,
      });
    }
  }
  if (parseErrors.length > 0) return failure(parseErrors);

  const result = composeServices(services);
  if (result.errors) {
    return failure(result.errors.map((e) => ({ code: errorCode(e), message: e.message })));
  }
  const hints = result.hints.map((h) => ({
    code: h.definition.code,
    message: h.message,
  }));
  try {
    return {
      supergraphSdl: result.supergraphSdl,
      apiSchemaSdl: apiSchemaFromSupergraph(result.supergraphSdl),
      errors: [],
      hints,
    };
  } catch (error) {
    // Composition can succeed yet produce a supergraph the gateway refuses (e.g. an
    // unsupported feature); surface that here rather than at gateway start-up.
    return {
      ...failure([{ code: "SUPERGRAPH_UNLOADABLE", message: errorMessage(error) }]),
      hints,
    };
  }
}

/**
 * Derives the printed API schema from a supergraph SDL. Loads it with the same
 * `Supergraph.build` call `@apollo/gateway` uses, so what passes here also loads there.
 * Sorted so the file only changes when the schema does, not when subgraph order does.
 */
export function apiSchemaFromSupergraph(supergraphSdl: string): string {
  // Handed over as SDL text, not a GraphQLSchema: federation-internals is CommonJS and may load
  // graphql's CJS build while this ESM module loads the .mjs build; graphql-js rejects schema
  // objects that cross those two copies ("from another module or realm").
  const apiSdl = printFederationSchema(Supergraph.build(supergraphSdl).apiSchema());
  return printSchema(lexicographicSortSchema(buildSchema(apiSdl)));
}

function failure(errors: readonly CompositionMessage[]): ComposeResult {
  return {
    supergraphSdl: undefined,
    apiSchemaSdl: undefined,
    errors,
    hints: [],
  };
}

function errorCode(error: GraphQLError): string {
  const code = error.extensions["code"];
  return typeof code === "string" ? code : "COMPOSITION_ERROR";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
