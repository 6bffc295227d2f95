"use client";

import { useMutation, type CombinedError } from "urql";
import { ActionDialog, type DialogProblem } from "@/components/signature-dialog";
import signatureStyles from "@/components/signature-dialog.module.css";
import { useAttemptKey } from "@/lib/attempt-key";
import { errorCode } from "@/lib/errors";
import { problemOf } from "@/lib/problem";
import { reachedCustomers } from "./customers-panel";
import { RecordRecallNoticeMutation } from "./operations";
import type { RecallCase } from "./recall-case-screen";

/** A `datetime-local` value for a moment, in the browser's time zone (what the field shows). */
function localInput(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** A `datetime-local` value as an instant; null when the field was left empty. */
function instant(value: FormDataEntryValue | null): string | null {
  if (typeof value !== "string" || !value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Recording that a customer was told (MANAGER, real recall, open): only the customers the case
 * reaches may be picked; told at defaults to now; acknowledged stays empty until they confirm.
 */
export function NoticeDialog({
  recallCase,
  customerId,
  onClose,
  onRecorded,
}: {
  recallCase: RecallCase;
  /** The customer to preselect; null to pick one. */
  customerId: string | null;
  onClose(): void;
  onRecorded(message: string): void;
}) {
  const customers = reachedCustomers(recallCase);
  const submit = useRecordNotice(recallCase, customers, onRecorded);
  const firstUntold = customers.find((c) => !c.notifiedAt)?.id;
  return (
    <ActionDialog
      title="Record a notice"
      summary={
        <p>
          {recallCase.number}: {recallCase.reason}
        </p>
      }
      submitLabel="Record notice"
      onSubmit={submit}
      onClose={onClose}
    >
      <label>
        Customer
        <select
          name="customerId"
          className="input"
          defaultValue={customerId ?? firstUntold ?? customers[0]?.id}
          required
        >
          {customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.code}){c.notifiedAt ? " — already told" : ""}
            </option>
          ))}
        </select>
      </label>
      <NoticeFields />
    </ActionDialog>
  );
}

function NoticeFields() {
  return (
    <>
      <label>
        Told at
        <input
          name="notifiedAt"
          type="datetime-local"
          className="input"
          defaultValue={localInput(new Date())}
          required
        />
      </label>
      <label>
        Acknowledged at
        <input name="acknowledgedAt" type="datetime-local" className="input" />
      </label>
      <p className={signatureStyles.hint}>Leave “Acknowledged at” empty until the customer confirms.</p>
      <label>
        Note
        <textarea
          name="note"
          className="input"
          rows={3}
          maxLength={2000}
          placeholder="How they were told: phone call to the buyer, e-mail to quality@…"
        />
      </label>
    </>
  );
}

/** Sends the dialog's notice, once per attempt; the refusal comes back to the dialog. */
function useRecordNotice(
  recallCase: RecallCase,
  customers: ReadonlyArray<{ id: string; name: string }>,
  onRecorded: (message: string) => void,
) {
  const [, record] = useMutation(RecordRecallNoticeMutation);
  const attempt = useAttemptKey();
  return async function submit(form: FormData): Promise<DialogProblem | null> {
    const chosen = String(form.get("customerId") ?? "");
    const notifiedAt = instant(form.get("notifiedAt"));
    if (!notifiedAt) return { message: "Say when the customer was told.", field: "notifiedAt" };
    const note = String(form.get("note") ?? "").trim();
    const result = await record({
      input: {
        recallCaseId: recallCase.id,
        customerId: chosen,
        notifiedAt,
        acknowledgedAt: instant(form.get("acknowledgedAt")),
        ...(note ? { note } : {}),
        idempotencyKey: attempt.current(),
      },
    });
    // A refusal recorded nothing: the next try, whatever it changes, is a new attempt. A lost
    // answer keeps the key, so a retry cannot record the notice twice.
    if (!result.error?.networkError) attempt.renew();
    if (result.error) return noticeProblem(result.error);
    onRecorded(`Notice to ${customers.find((c) => c.id === chosen)?.name ?? "the customer"} recorded.`);
    return null;
  };
}

const FIELD_LABEL: Record<string, string> = { notifiedAt: "“Told at”", acknowledgedAt: "“Acknowledged at”" };

/** The API's refusal, beside the field it is about, in the dialog's words (a time in the future, acknowledged before told). */
function noticeProblem(error: CombinedError): DialogProblem {
  const problem = problemOf(error);
  if (errorCode(error) !== "BAD_USER_INPUT" || !problem.field) return { message: problem.message };
  const label = FIELD_LABEL[problem.field];
  if (!label) return { message: problem.message, field: problem.field };
  const said = problem.message
    .replace(/^./, (first) => first.toLowerCase())
    .replace("notifiedAt", FIELD_LABEL["notifiedAt"]!);
  return { message: `${label} ${said}`, field: problem.field };
}
