"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { FormActions } from "@/components/form-actions";
import { FormField } from "@/components/form-field";
import { ShownOnce } from "@/components/shown-once";
import { ActionDialog } from "@/components/signature-dialog";
import { problemOf } from "@/lib/problem";
import formStyles from "@/components/form.module.css";
import { CreateWebhookMutation, DeleteWebhookMutation, UpdateWebhookMutation } from "./operations";
import type { Webhook } from "./webhooks-panel";
import styles from "./admin.module.css";

/** What most ERP integrations ask for first; the form starts with it. */
const SUGGESTED_SUBJECTS = "lotgraph.quality.hold.*\nlotgraph.inventory.lot.held\nlotgraph.inventory.shipment.created";

/** The subjects as typed: one per line (commas and spaces separate too). */
function subjectList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((subject) => subject.trim())
    .filter(Boolean);
}

export function CreateWebhookForm({ onCreated }: { onCreated(issued: { url: string; secret: string }): void }) {
  const [url, setUrl] = useState("");
  const [subjects, setSubjects] = useState(SUGGESTED_SUBJECTS);
  const [description, setDescription] = useState("");
  const [{ fetching, error }, create] = useMutation(CreateWebhookMutation);
  const problem = error ? problemOf(error) : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await create({
      input: {
        url: url.trim(),
        subjects: subjectList(subjects),
        description: description.trim() || null,
      },
    });
    if (result.data) {
      const { secret, webhook } = result.data.createWebhook;
      onCreated({ url: webhook.url, secret });
      setUrl("");
      setDescription("");
    }
  }

  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="new-webhook-title">
      <h3 id="new-webhook-title">Add a webhook</h3>
      <div className={formStyles.grid}>
        <FormField
          label="Receiver URL"
          error={problem?.field === "url" ? problem.message : undefined}
          hint="The ERP's endpoint, e.g. https://erp.plant.local/lotgraph/events"
        >
          <input
            className="input"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </FormField>
        <FormField label="Description" hint="What it feeds, for whoever looks after it">
          <input className="input" value={description} onChange={(e) => setDescription(e.target.value)} />
        </FormField>
      </div>
      <SubjectsField
        value={subjects}
        onChange={setSubjects}
        error={problem?.field === "subjects" ? problem.message : undefined}
      />
      <FormActions problem={problem} busy={fetching} label="Create and show secret" busyLabel="Creating…" />
    </form>
  );
}

export function RotateSecretDialog({
  webhook,
  onClose,
  onRotated,
}: {
  webhook: Webhook;
  onClose(): void;
  onRotated(secret: string): void;
}) {
  const [, update] = useMutation(UpdateWebhookMutation);
  return (
    <ActionDialog
      title="Make a new signing secret"
      summary={
        <p>
          Deliveries to <strong>{webhook.url}</strong> are signed with the new secret from now on; the receiver must
          have it before it can accept them again. The new secret is shown once.
        </p>
      }
      submitLabel="Make and show the new secret"
      busyLabel="Making…"
      onClose={onClose}
      onSubmit={async () => {
        const result = await update({ input: { webhookId: webhook.id, rotateSecret: true } });
        if (result.error) return problemOf(result.error);
        if (result.data?.updateWebhook.secret) onRotated(result.data.updateWebhook.secret);
        return null;
      }}
    >
      {null}
    </ActionDialog>
  );
}

export function DeleteWebhookDialog({
  webhook,
  onClose,
  onDeleted,
}: {
  webhook: Webhook;
  onClose(): void;
  onDeleted(): void;
}) {
  const [, remove] = useMutation(DeleteWebhookMutation);
  return (
    <ActionDialog
      title="Delete this webhook"
      summary={
        <p>
          Nothing more is sent to <strong>{webhook.url}</strong>, and the {webhook.pendingDeliveries} deliveries still
          waiting are cancelled. Its history stays in the audit trail. To stop it for a while instead, pause it.
        </p>
      }
      submitLabel="Delete the webhook"
      busyLabel="Deleting…"
      onClose={onClose}
      onSubmit={async () => {
        const result = await remove({ input: { webhookId: webhook.id } });
        if (result.error) return problemOf(result.error);
        onDeleted();
        return null;
      }}
    >
      {null}
    </ActionDialog>
  );
}

/** A signing secret just made, shown once, with a button to copy it. */
export function IssuedSecret({ issued }: { issued: { url: string; secret: string } }) {
  return (
    <ShownOnce label={`Signing secret for ${issued.url}`} copyLabel="Copy secret" value={issued.secret}>
      <strong>Signing secret for {issued.url}.</strong> It is shown only now: put it in the receiver&apos;s
      configuration, which checks each delivery&apos;s signature with it.
    </ShownOnce>
  );
}

function SubjectsField({ value, onChange, error }: { value: string; onChange(value: string): void; error?: string }) {
  return (
    <FormField
      label="Subjects"
      error={error}
      hint="One per line. * stands for one word, a final > for the rest: lotgraph.quality.> is every quality event."
    >
      <textarea
        className={`input ${styles.subjectsInput}`}
        rows={4}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
      />
    </FormField>
  );
}
