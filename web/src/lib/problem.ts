import type { CombinedError } from "@urql/core";
import { describeError, errorCode } from "@/lib/errors";

/** What went wrong, in words for the floor, and the field it belongs next to when the API names one. */
export interface Problem {
  message: string;
  /** An input's name (`lotId`, `reason`…), or `measurement:<characteristic>`. */
  field?: string;
}

const sentence = (text: string) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : text);
const withStop = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

const ENTITY: Record<string, string> = {
  Lot: "That lot does not exist. Check the code on the label, or scan it again.",
  QcGate: "That gate no longer exists. Reload the page.",
  ProductionRun: "That run does not exist any more. Pick another run.",
  Hold: "That hold no longer exists. Reload the page.",
  SupplierHold: "That supplier hold no longer exists. Reload the page.",
  NonConformance: "That nonconformance no longer exists. Reload the page.",
  QcDecision: "That decision no longer exists. Reload the page.",
};

/** The first GraphQL error's extensions (empty for a network error). */
function extensionsOf(error: CombinedError): Record<string, unknown> {
  return error.graphQLErrors[0]?.extensions ?? {};
}

/**
 * The API's error as a message a plant's people can act on, never a stack trace. The API's own
 * messages for CONFLICT, LOT_UNAVAILABLE, BAD_USER_INPUT and segregation of duties already say
 * what to do; only their first letter and stop are added.
 */
export function problemOf(error: CombinedError): Problem {
  if (error.networkError) return { message: describeError(error) };
  const extensions = extensionsOf(error);
  const apiMessage = withStop(sentence(error.graphQLErrors[0]?.message ?? ""));
  switch (errorCode(error)) {
    case "BAD_USER_INPUT": {
      const characteristic = extensions["characteristic"];
      if (typeof characteristic === "string") return { message: apiMessage, field: `measurement:${characteristic}` };
      const fields = extensions["fields"];
      if (Array.isArray(fields) && fields.length > 0) {
        const first = fields[0] as { field?: string; message?: string };
        return {
          message: withStop(sentence(first.message ?? apiMessage)),
          field: first.field?.split(".")[0],
        };
      }
      const field = extensions["field"];
      return { message: apiMessage, field: typeof field === "string" ? field : undefined };
    }
    case "FORBIDDEN":
      if (extensions["segregationOfDuties"]) return { message: apiMessage };
      return { message: "Your account may not do this. Ask a quality manager, or an administrator for the role." };
    case "NOT_FOUND": {
      const entity = extensions["entity"];
      return { message: (typeof entity === "string" && ENTITY[entity]) || apiMessage };
    }
    case "LOT_UNAVAILABLE":
      return { message: `The lot is not available: ${apiMessage.charAt(0).toLowerCase()}${apiMessage.slice(1)}` };
    case "RATE_LIMITED":
      return { message: "Too many attempts in a short time. Wait a minute and try again." };
    case "SERVICE_UNAVAILABLE":
      return { message: "Lotgraph is briefly unavailable. Nothing was recorded; try again in a moment." };
    case "UNAUTHENTICATED":
      return { message: describeError(error) };
    default:
      return { message: apiMessage || "Something went wrong. Nothing was recorded; try again." };
  }
}
