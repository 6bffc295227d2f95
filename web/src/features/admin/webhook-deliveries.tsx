"use client";

import { useState } from "react";
import { useMutation, useQuery } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { DeliveryBadge } from "@/components/status-badge";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { problemOf } from "@/lib/problem";
import { RedeliverWebhookMutation, WebhookDeliveriesQuery } from "./operations";
import type { Webhook } from "./webhooks-panel";
import styles from "./admin.module.css";

const DELIVERIES_SHOWN = 20;

/** A webhook's latest deliveries, newest first; dead letter first when there is any. */
export function Deliveries({ webhook, onChanged }: { webhook: Webhook; onChanged(): void }) {
  const [status, setStatus] = useState<"DEAD" | null>(webhook.deadDeliveries > 0 ? "DEAD" : null);
  const [{ data, fetching, error }, reload] = useQuery({
    query: WebhookDeliveriesQuery,
    variables: { webhookId: webhook.id, first: DELIVERIES_SHOWN, status },
    requestPolicy: "network-only",
  });
  const [, redeliver] = useMutation(RedeliverWebhookMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const page = data?.webhookDeliveries;
  async function sendAgain(deliveryId: string) {
    const result = await redeliver({ input: { deliveryId } });
    setProblem(result.error ? problemOf(result.error).message : null);
    reload({ requestPolicy: "network-only" });
    onChanged();
  }
  return (
    <div className={styles.deliveries} aria-label={`Deliveries to ${webhook.url}`} role="region">
      <div className={styles.deliveriesBar}>
        <label className={styles.inlineChoice}>
          <input
            type="checkbox"
            checked={status === "DEAD"}
            onChange={(e) => setStatus(e.target.checked ? "DEAD" : null)}
          />
          Dead letter only
        </label>
        <button type="button" className="button" onClick={() => reload({ requestPolicy: "network-only" })}>
          Refresh
        </button>
        {page && (
          <span className={styles.hint}>
            {page.edges.length} of {page.totalCount}, newest first
          </span>
        )}
      </div>
      {problem && <p role="alert">{problem}</p>}
      {fetching && !data ? (
        <p role="status">Loading deliveries…</p>
      ) : error ? (
        <p role="alert">{describeError(error)}</p>
      ) : !page || page.edges.length === 0 ? (
        <p className={styles.empty}>{status === "DEAD" ? "Nothing in dead letter." : "No delivery yet."}</p>
      ) : (
        <DeliveriesTable
          deliveries={page.edges.map((edge) => edge.node)}
          canResend={webhook.active}
          onResend={(id) => void sendAgain(id)}
        />
      )}
    </div>
  );
}

interface DeliveryRow {
  id: string;
  subject: string;
  entityType: string;
  entityId: string;
  occurredAt: string;
  status: string;
  attempts: number;
  nextAttemptAt?: string | null;
  responseStatus?: number | null;
  lastError?: string | null;
}

function DeliveriesTable({
  deliveries,
  canResend,
  onResend,
}: {
  deliveries: readonly DeliveryRow[];
  canResend: boolean;
  onResend(deliveryId: string): void;
}) {
  return (
    <table className={tableStyles.table}>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Subject</th>
          <th scope="col">Entity</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last answer</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((node) => (
          <tr key={node.id} data-testid="delivery-row">
            <td>{formatDateTime(node.occurredAt)}</td>
            <td>
              <code>{node.subject}</code>
            </td>
            <td className={styles.breakable}>
              {node.entityType} <span className={styles.by}>{node.entityId}</span>
            </td>
            <td>
              <DeliveryBadge status={node.status} />
              {node.status === "PENDING" && node.nextAttemptAt && node.attempts > 0 && (
                <div className={styles.by}>next try {formatDateTime(node.nextAttemptAt)}</div>
              )}
            </td>
            <td>{node.attempts}</td>
            <td>
              {node.responseStatus ? `HTTP ${node.responseStatus}` : node.attempts > 0 ? "No answer" : "—"}
              {node.lastError && !node.responseStatus && <div className={styles.by}>{node.lastError}</div>}
            </td>
            <td className={styles.rowActions}>
              {(node.status === "DEAD" || node.status === "DELIVERED") && canResend && (
                <button type="button" className="button" onClick={() => onResend(node.id)}>
                  Send again
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
