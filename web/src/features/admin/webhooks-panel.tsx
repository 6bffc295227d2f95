"use client";

import { useState } from "react";
import { useMutation, useQuery } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { problemOf } from "@/lib/problem";
import { UpdateWebhookMutation, WebhooksQuery } from "./operations";
import { Deliveries } from "./webhook-deliveries";
import { CreateWebhookForm, DeleteWebhookDialog, IssuedSecret, RotateSecretDialog } from "./webhook-forms";
import styles from "./admin.module.css";

export interface Webhook {
  id: string;
  url: string;
  subjects: readonly string[];
  description: string;
  active: boolean;
  createdAt: string;
  pendingDeliveries: number;
  deadDeliveries: number;
}

type Pending = { kind: "rotate" | "delete"; webhook: Webhook } | null;

/**
 * Webhooks (ADMIN): where Lotgraph posts events for an ERP, each signed with a secret shown once;
 * each webhook's recent deliveries, with dead letter sent again by hand once the receiver is fixed.
 */
export function WebhooksPanel() {
  const [{ data, fetching, error }, reload] = useQuery({ query: WebhooksQuery, requestPolicy: "network-only" });
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const refresh = () => reload({ requestPolicy: "network-only" });
  const webhooks = data?.webhooks ?? [];
  return (
    <section className={styles.section} aria-labelledby="webhooks-title">
      <div className={styles.sectionHeader}>
        <h2 id="webhooks-title">Webhooks</h2>
        <p className={styles.hint}>
          Lotgraph posts each event of the chosen subjects to the ERP&apos;s URL, signed with the webhook&apos;s secret,
          and retries for about a day before a delivery goes to dead letter. docs/integrators.md shows how a receiver
          checks the signature.
        </p>
      </div>
      <CreateWebhookForm
        onCreated={(created) => {
          setSecret(created);
          refresh();
        }}
      />
      {secret && <IssuedSecret key={secret.secret} issued={secret} />}
      {fetching && !data ? (
        <p role="status">Loading webhooks…</p>
      ) : error ? (
        <p role="alert">{describeError(error)}</p>
      ) : webhooks.length === 0 ? (
        <p className={styles.empty}>No webhook yet.</p>
      ) : (
        <WebhooksTable
          webhooks={webhooks}
          opened={opened}
          onOpen={(id) => setOpened(opened === id ? null : id)}
          onAction={setPending}
          onChanged={refresh}
        />
      )}
      {pending?.kind === "rotate" && (
        <RotateSecretDialog
          webhook={pending.webhook}
          onClose={() => setPending(null)}
          onRotated={(rotated) => setSecret({ url: pending.webhook.url, secret: rotated })}
        />
      )}
      {pending?.kind === "delete" && (
        <DeleteWebhookDialog webhook={pending.webhook} onClose={() => setPending(null)} onDeleted={refresh} />
      )}
    </section>
  );
}

function WebhooksTable({
  webhooks,
  opened,
  onOpen,
  onAction,
  onChanged,
}: {
  webhooks: readonly Webhook[];
  opened: string | null;
  onOpen(id: string): void;
  onAction(pending: Pending): void;
  onChanged(): void;
}) {
  const [, update] = useMutation(UpdateWebhookMutation);
  const [problem, setProblem] = useState<string | null>(null);
  async function setActive(webhook: Webhook, active: boolean) {
    const result = await update({ input: { webhookId: webhook.id, active } });
    setProblem(result.error ? problemOf(result.error).message : null);
    onChanged();
  }
  return (
    <>
      {problem && <p role="alert">{problem}</p>}
      <div className={tableStyles.tableWrap}>
        <table className={tableStyles.table}>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Subjects</th>
              <th scope="col">State</th>
              <th scope="col">Waiting</th>
              <th scope="col">Dead letter</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <WebhookRows
                key={webhook.id}
                webhook={webhook}
                open={opened === webhook.id}
                onOpen={() => onOpen(webhook.id)}
                onPause={() => void setActive(webhook, !webhook.active)}
                onAction={onAction}
                onChanged={onChanged}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function WebhookRows({
  webhook,
  open,
  onOpen,
  onPause,
  onAction,
  onChanged,
}: {
  webhook: Webhook;
  open: boolean;
  onOpen(): void;
  onPause(): void;
  onAction(pending: Pending): void;
  onChanged(): void;
}) {
  return (
    <>
      <tr data-testid="webhook-row">
        <th scope="row" className={styles.breakable}>
          {webhook.url}
          {webhook.description && <div className={styles.by}>{webhook.description}</div>}
        </th>
        <td>
          <SubjectList subjects={webhook.subjects} />
        </td>
        <td>{webhook.active ? "Active" : "Paused (events kept)"}</td>
        <td>{webhook.pendingDeliveries}</td>
        <td className={webhook.deadDeliveries > 0 ? styles.alarm : undefined}>{webhook.deadDeliveries}</td>
        <td>{formatDateTime(webhook.createdAt)}</td>
        <td className={styles.wrappingActions}>
          <div>
            <button type="button" className="button" aria-expanded={open} onClick={onOpen}>
              {open ? "Hide deliveries" : "Deliveries"}
            </button>
            <button type="button" className="button" onClick={onPause}>
              {webhook.active ? "Pause" : "Resume"}
            </button>
            <button type="button" className="button" onClick={() => onAction({ kind: "rotate", webhook })}>
              New secret
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => onAction({ kind: "delete", webhook })}
            >
              Delete
            </button>
          </div>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={7} className={styles.nested}>
            <Deliveries webhook={webhook} onChanged={onChanged} />
          </td>
        </tr>
      )}
    </>
  );
}

function SubjectList({ subjects }: { subjects: readonly string[] }) {
  return (
    <ul className={styles.subjects}>
      {subjects.map((subject) => (
        <li key={subject}>
          <code>{subject}</code>
        </li>
      ))}
    </ul>
  );
}
