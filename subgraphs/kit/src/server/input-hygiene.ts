import type { Plugin } from "graphql-yoga";
import { GraphQLError, type ASTNode, type ASTVisitor, type ValidationContext } from "graphql";

/**
 * Refuses, as BAD_USER_INPUT and before anything runs, input the database would refuse with an
 * unexplained error or store in a form no one can read back: text holding a NUL character
 * (PostgreSQL's text cannot hold one) or a lone UTF-16 surrogate (not a character; it cannot be
 * encoded as UTF-8), and numbers that are not finite (`1e309` is Infinity as a Float literal or
 * a JSON number). Literals are checked with the document, variables when the operation runs.
 */
export function useInputHygiene(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(literalHygieneRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const problem = variablesProblem(args.variableValues);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problem = variablesProblem(args.variableValues);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}

/** Why a string cannot be accepted, or null. */
export function textProblem(value: string): string | null {
  if (value.includes("\u0000")) return "contains a NUL character (U+0000)";
  if (LONE_SURROGATE.test(value)) return "contains a lone UTF-16 surrogate, which is not a character";
  return null;
}

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function literalHygieneRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      const problem = textProblem(node.value);
      if (problem) context.reportError(refusal(`A string argument ${problem}`, node));
    },
    FloatValue(node) {
      if (!Number.isFinite(Number(node.value)))
        context.reportError(refusal(`The number ${node.value.slice(0, 40)} is out of range`, node));
    },
  };
}

/** Walks a request's variables (plain JSON) for the first unacceptable value. */
function variablesProblem(variables: unknown): GraphQLError | null {
  if (variables === null || variables === undefined) return null;
  const pending: Array<{ value: unknown; path: string }> = [{ value: variables, path: "" }];
  while (pending.length) {
    const { value, path } = pending.pop()!;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return refusal(`Variable ${path || "value"} ${problem}`);
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) return refusal(`Variable ${path || "value"} is not a finite number`);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]` }));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const keyProblem = textProblem(key);
        if (keyProblem) return refusal(`A variable's field name ${keyProblem}`);
        pending.push({ value: item, path: path ? `${path}.${key}` : `$${key}` });
      }
    }
  }
  return null;
}

function refusal(message: string, node?: ASTNode): GraphQLError {
  return new GraphQLError(message, {
    ...(node ? { nodes: node } : {}),
    extensions: { code: "BAD_USER_INPUT" },
  });
}
