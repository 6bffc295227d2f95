import type { GraphQLFieldResolver } from "graphql";
import { Kind, type DocumentNode } from "graphql";
import { accessOf, enforceAccess } from "../auth/policy.ts";
import type { Principal } from "../auth/tokens.ts";

type ResolverMap = Record<string, unknown>;
const ROOT_TYPES = new Set(["Query", "Mutation"]);

/**
 * The resolver map with every root field behind its entry of the access policy (auth/policy.ts):
 * a caller the table does not admit is refused before the resolver runs. Throws, so the subgraph
 * does not start, when a root field of `typeDefs` has no entry.
 */
export function guardedResolvers(typeDefs: readonly DocumentNode[], resolvers: ResolverMap): ResolverMap {
  const guarded: Record<string, Record<string, unknown>> = {
    ...(resolvers as Record<string, Record<string, unknown>>),
  };
  for (const document of typeDefs) {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const type = definition.name.value;
      if (!ROOT_TYPES.has(type)) continue;
      for (const field of definition.fields ?? []) {
        const access = accessOf(type, field.name.value);
        const name = field.name.value;
        // A field without a resolver of its own (the default reads the parent) is guarded all the same.
        const resolve =
          (guarded[type]?.[name] as GraphQLFieldResolver<unknown, CallerContext> | undefined) ??
          ((parent: unknown) => (parent as Record<string, unknown> | undefined)?.[name]);
        guarded[type] = {
          ...guarded[type],
          [name]: (parent: unknown, args: unknown, context: CallerContext, info: never) => {
            enforceAccess(access, context.principal ?? null);
            try {
              const result = resolve(parent, args as Record<string, unknown>, context, info);
              return result instanceof Promise
                ? result.catch((error: unknown) => rethrowTagged(error, context))
                : result;
            } catch (error) {
              return rethrowTagged(error, context);
            }
          },
        };
      }
    }
  }
  return guarded;
}

interface CallerContext {
  principal?: Principal | null;
  requestId?: string;
}

/** The request each failure of a root resolver happened in, for the log line of an unexpected one. */
const requestOfError = new WeakMap<object, string>();

function rethrowTagged(error: unknown, context: CallerContext): never {
  if (error && typeof error === "object" && context.requestId) requestOfError.set(error, context.requestId);
  throw error;
}

/** The id of the request in which `error` was thrown by a root resolver, if known. */
export function requestIdOfError(error: unknown): string | undefined {
  return error && typeof error === "object" ? requestOfError.get(error) : undefined;
}
