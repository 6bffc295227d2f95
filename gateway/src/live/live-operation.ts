import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  print,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { bindingFor, type LiveBinding } from "./bindings.ts";

/** The variable that carries the event's entity id into the federated query. */
export const ENTITY_ID_VARIABLE = "lotgraphLiveEntityId";

/** A subscription operation turned into what the live layer runs for each event. */
export interface LiveOperation {
  binding: LiveBinding;
  /** The field's arguments, coerced (`lotChanged(lotId: $lot)` → `{ lotId: "…" }`). */
  args: Record<string, unknown>;
  /**
   * `query { <responseKey>: lot(id: $lotgraphLiveEntityId) { <the subscriber's selection> } }`
   * plus the operation's fragments: its data has exactly the shape of a subscription payload.
   */
  query: DocumentNode;
  /** The query as text: with the variables and the caller's roles, it keys shared execution. */
  queryText: string;
  responseKey: string;
  /** The operation's variables (the entity id is added per event). */
  variables: Record<string, unknown>;
}

function userError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

/**
 * Reads a validated subscription operation. The document has passed the gateway's validation
 * (one root field per subscription, limits), so what is refused here is only what the live layer
 * cannot serve, with a typed error.
 */
export function liveOperationOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): LiveOperation {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    throw userError("the operation is not a subscription");
  }
  const [root, ...others] = operation.selectionSet.selections;
  if (!root || others.length > 0 || root.kind !== Kind.FIELD) {
    throw userError("select exactly one subscription field, directly in the operation (no fragment)");
  }
  const binding = bindingFor(root.name.value);
  const fieldDef = schema.getSubscriptionType()?.getFields()[root.name.value];
  if (!binding || !fieldDef) throw userError(`unknown subscription field ${root.name.value}`);
  if (operation.variableDefinitions?.some((v) => v.variable.name.value === ENTITY_ID_VARIABLE)) {
    throw userError(`the variable name $${ENTITY_ID_VARIABLE} is reserved`);
  }
  // Coerced as execution would, so a variable of the wrong type is refused now, not at each event.
  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 5 });
  if (coercion.errors) throw userError(coercion.errors.map((error) => error.message).join("; "));
  const variableValues = coercion.coerced;
  const args = getArgumentValues(fieldDef, root, variableValues);
  const responseKey = root.alias?.value ?? root.name.value;
  const query = federatedQuery(operation, root, binding, responseKey, document);
  return { binding, args, query, queryText: print(query), responseKey, variables: variableValues };
}

function federatedQuery(
  operation: OperationDefinitionNode,
  root: FieldNode,
  binding: LiveBinding,
  responseKey: string,
  document: DocumentNode,
): DocumentNode {
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
  );
  const entityId = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ENTITY_ID_VARIABLE } } as const;
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    name: { kind: Kind.NAME, value: `Live_${operation.name?.value ?? binding.field}` },
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: entityId,
        type: {
          kind: Kind.NON_NULL_TYPE,
          type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: "ID" } },
        },
      },
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.FIELD,
          alias: { kind: Kind.NAME, value: responseKey },
          name: { kind: Kind.NAME, value: binding.queryField },
          arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "id" }, value: entityId }],
          directives: root.directives ?? [],
          ...(root.selectionSet ? { selectionSet: root.selectionSet } : {}),
        },
      ],
    },
  };
  return { kind: Kind.DOCUMENT, definitions: [query, ...fragments] };
}
