import Link from "next/link";
import type { ReactNode } from "react";
import { formatDateTime } from "@/lib/format";
import type { RecallCase } from "./recall-case-screen";
import { percentText, quantityText } from "./recall-format";

type Action = RecallCase["openActions"][number];

const LOT_STATUS: Record<string, string> = {
  AVAILABLE: "available",
  QUARANTINE: "in quarantine",
  ON_HOLD: "on hold",
};

/**
 * One open action in words, from the case's own numbers (quantities as the rest of the page
 * shows them); the API's description for a kind this screen does not know yet.
 */
export function openActionText(action: Action, c: RecallCase): ReactNode {
  const customer = action.customer;
  const lot = action.lot;
  switch (action.kind) {
    case "NOTIFY_CUSTOMER": {
      const carried = c.exposure.customers
        .filter((entry) => entry.customer.id === customer?.id)
        .map((entry) => quantityText(entry.quantityOfSource, entry.uom));
      return (
        <>
          Tell <strong>{customer?.name}</strong>: their shipments carried {carried.join(" + ") || "source material"} of
          the source.
        </>
      );
    }
    case "AWAIT_ACKNOWLEDGEMENT": {
      const told = c.notices.filter((n) => n.customer.id === customer?.id).map((n) => n.notifiedAt);
      const last = told.sort().at(-1);
      return (
        <>
          <strong>{customer?.name}</strong> was told{last ? ` (${formatDateTime(last)})` : ""} and has not acknowledged:
          follow up until they confirm.
        </>
      );
    }
    case "RECOVER_ON_HAND":
      return lot ? (
        <>
          <Link href={`/lots/${encodeURIComponent(lot.code)}`}>{lot.code}</Link>: {quantityText(lot.quantity, lot.uom)}{" "}
          still in the plant{LOT_STATUS[lot.status] ? ` (${LOT_STATUS[lot.status]})` : ""}. Decide its disposition.
        </>
      ) : (
        `${action.description}.`
      );
    case "RECONCILE":
      return `The ledger accounts for ${percentText(c.reconciliation.percentAccountedFor)} of the source: find the rest.`;
    default:
      return `${action.description}.`;
  }
}
