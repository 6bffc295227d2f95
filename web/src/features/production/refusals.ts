import type { CombinedError } from "@urql/core";
import type { ProductionScanLotQuery } from "@/gql/graphql";
import { describeError, errorCode } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { formatQuantity } from "./quantity";

export type ScannedLot = NonNullable<ProductionScanLotQuery["lot"]>;

/** The details the API attaches to a refusal (`extensions` beside `code`). */
function details(error: CombinedError): Record<string, unknown> {
  return error.graphQLErrors[0]?.extensions ?? {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

const AWAITING: Record<string, string> = {
  INSPECTION: "incoming inspection",
  REJECTED: "a new decision after its rejection",
  GATE: "a PASS at a quality gate",
};

/** Why a lot is unavailable, from the status the API reported (or the lot as scanned). */
function unavailable(error: CombinedError, lot: ScannedLot | null): string {
  const code = text(details(error)["lotCode"]) ?? lot?.code ?? "This lot";
  const status = text(details(error)["status"]) ?? lot?.status;
  const expiresAt = text(details(error)["expiresAt"]) ?? lot?.expiresAt ?? undefined;
  if (status === "ON_HOLD") {
    const reason = lot?.holds.find((hold) => hold.active)?.reason;
    return `Lot ${code} is on hold${reason ? ` (${reason})` : ""}. It cannot be used until quality releases the hold.`;
  }
  if (status === "QUARANTINE") {
    const waits = lot?.awaitingRelease.map((r) =>
      r.kind === "GATE" && r.gate ? `a PASS at ${r.gate.name}` : (AWAITING[r.kind] ?? r.kind),
    );
    return `Lot ${code} is in quarantine${waits?.length ? `, awaiting ${waits.join(" and ")}` : ""}. It cannot be used yet.`;
  }
  if (status === "CONSUMED") return `Lot ${code} is used up: nothing is left on hand.`;
  if (status === "SHIPPED") return `Lot ${code} has been shipped.`;
  if (status === "SCRAPPED") return `Lot ${code} has been scrapped.`;
  if (expiresAt && new Date(expiresAt).getTime() <= Date.now())
    return `Lot ${code} expired on ${formatDateTime(expiresAt)}. It cannot be used.`;
  return `Lot ${code} cannot be used: ${error.graphQLErrors[0]?.message ?? "it is not available"}.`;
}

/** A consumption refusal, in words an operator at the line can act on. */
export function describeConsumeRefusal(
  error: CombinedError,
  lot: ScannedLot | null,
  context: { workOrderNumber: string; components: string[] },
): string {
  switch (errorCode(error)) {
    case "LOT_UNAVAILABLE":
      return unavailable(error, lot);
    case "INSUFFICIENT_QUANTITY": {
      const available = text(details(error)["available"]) ?? lot?.quantity;
      const requested = text(details(error)["requested"]);
      const uom = lot?.uom ?? "";
      return `Not enough on hand: lot ${lot?.code ?? ""} holds ${available ? formatQuantity(available) : "less"} ${uom}${
        requested ? `, ${formatQuantity(requested)} ${uom} asked` : ""
      }. Consume at most what is on hand.`.replace(/\s+/g, " ");
    }
    case "BAD_USER_INPUT":
      if (details(error)["field"] === "allowedMaterialIds" || /does not list/.test(error.message))
        return `${lot?.material.name ?? "This material"} is not in the bill of materials of ${context.workOrderNumber}${
          context.components.length ? ` (it lists ${context.components.join(", ")})` : ""
        }. Scan a lot of a listed material.`;
      return describeError(error);
    case "NOT_FOUND":
      return `No lot ${lot?.code ?? "with that code"} exists. Check the label and scan again.`;
    case "CONFLICT":
      return `The run is no longer in progress: ${error.graphQLErrors[0]?.message ?? "nothing was consumed"}.`;
    default:
      return describeError(error);
  }
}

/** A refusal to leave a phase, naming the gate that holds the run back. */
export function describeAdvanceRefusal(
  error: CombinedError,
  gateNames: Map<string, string>,
  phases: ReadonlyArray<{ sequence: number; name: string }>,
): string {
  if (errorCode(error) !== "GATE_BLOCKED") return describeError(error);
  const gateId = text(details(error)["gateId"]);
  const gate = (gateId && gateNames.get(gateId)) ?? "its quality gate";
  const sequence = details(error)["phase"];
  const phase = phases.find((p) => p.sequence === sequence);
  const last = text(details(error)["lastResult"]);
  return `Blocked at gate ${gate}${phase ? `, which closes phase ${phase.sequence} (${phase.name})` : ""}. Quality must record a PASS for this run there before it can move on: ${
    last ? `the last decision is ${last}.` : "there is no decision yet."
  }`;
}
