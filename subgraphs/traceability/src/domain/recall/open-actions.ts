import type { CurrentLotFacts } from "../records.ts";
import type { RecallActionView, RecallAnswer, RecallNoticeRecord } from "./recall-records.ts";

/**
 * What a case still needs, in the order a recall coordinator works: tell every customer the
 * exposure reaches, get their acknowledgement, decide what is still on hand, and find what the
 * ledger does not account for. A drill tells nobody, so it lists only the reconciliation.
 */
export function openActions(facts: {
  drill: boolean;
  answer: RecallAnswer;
  notices: readonly RecallNoticeRecord[];
  onHand: readonly CurrentLotFacts[];
}): RecallActionView[] {
  const { drill, answer, notices, onHand } = facts;
  const actions: RecallActionView[] = [];
  if (!drill) {
    const told = new Map<string, RecallNoticeRecord[]>();
    for (const notice of notices) told.set(notice.customerId, [...(told.get(notice.customerId) ?? []), notice]);
    for (const { customer, quantityOfSource, uom } of answer.exposure.customers) {
      const its = told.get(customer.id);
      if (!its)
        actions.push({
          kind: "NOTIFY_CUSTOMER",
          description: `Tell this customer: shipments carried ${quantityOfSource} ${uom} of source material`,
          customer,
          lot: null,
        });
      else if (!its.some((n) => n.acknowledgedAt))
        actions.push({
          kind: "AWAIT_ACKNOWLEDGEMENT",
          description: "Told, not yet acknowledged: follow up until the customer confirms",
          customer,
          lot: null,
        });
    }
    for (const lot of onHand)
      actions.push({
        kind: "RECOVER_ON_HAND",
        description: `${[lot.quantity, lot.uom].filter(Boolean).join(" ")} still on hand (${lot.status}): decide its disposition`,
        customer: null,
        lot: { id: lot.id },
      });
  }
  if (!answer.reconciliation.balanced)
    actions.push({
      kind: "RECONCILE",
      description: `The ledger accounts for ${answer.reconciliation.percentAccountedFor} % of the source: find the rest`,
      customer: null,
      lot: null,
    });
  return actions;
}
