"use client";

import { useMutation, type CombinedError } from "urql";
import { SignatureDialog, signatureProblem, type DialogProblem } from "@/components/signature-dialog";
import { useAttemptKey } from "@/lib/attempt-key";
import { errorCode } from "@/lib/errors";
import { problemOf } from "@/lib/problem";
import { reachedCustomers } from "./customers-panel";
import { CloseRecallMutation } from "./operations";
import type { RecallCase } from "./recall-case-screen";
import { customersTold, percentText } from "./recall-format";

/**
 * Closing a case for good, signed (21 CFR Part 11): the reason, the signer's password re-entered
 * and what the signature means. A wrong password is said on the password field; a customer not
 * yet told (someone else's recall moved on meanwhile) is named.
 */
export function CloseCaseDialog({
  recallCase,
  onClose,
  onClosed,
}: {
  recallCase: RecallCase;
  onClose(): void;
  onClosed(message: string): void;
}) {
  const [, close] = useMutation(CloseRecallMutation);
  const attempt = useAttemptKey();
  const what = recallCase.drill ? "drill" : "recall";
  return (
    <SignatureDialog
      title={`Close ${recallCase.number}`}
      summary={<CloseSummary recallCase={recallCase} />}
      meaning={recallCase.drill ? "drill reviewed" : "recall complete"}
      submitLabel={`Sign and close the ${what}`}
      onClose={onClose}
      onSign={async (signature, form) => {
        const result = await close({
          input: {
            recallCaseId: recallCase.id,
            reason: String(form.get("reason") ?? "").trim(),
            signature,
            idempotencyKey: attempt.current(),
          },
        });
        if (!result.error?.networkError) attempt.renew(); // a lost answer keeps its key for the retry
        if (result.error) return signatureProblem(result.error, (error) => closeProblem(error, recallCase));
        onClosed(`${recallCase.number} closed and signed.`);
        return null;
      }}
    >
      <label>
        Why it can close
        <textarea
          name="reason"
          className="input"
          rows={3}
          required
          maxLength={500}
          placeholder={
            recallCase.drill
              ? "e.g. Drill answered in time; every lot and customer found."
              : "e.g. All customers told and confirmed; stock on hand scrapped."
          }
        />
      </label>
    </SignatureDialog>
  );
}

function CloseSummary({ recallCase }: { recallCase: RecallCase }) {
  const { told, reached } = customersTold(recallCase);
  const customers = `${reached} ${reached === 1 ? "customer" : "customers"}`;
  return (
    <p>
      {recallCase.drill ? `A drill: ${customers} reached, none told. ` : `${told} of ${customers} told. `}
      {percentText(recallCase.reconciliation.percentAccountedFor)} of the source found. Closing releases no hold:
      quality releases them.
    </p>
  );
}

/** CONFLICT: the customers not told yet, by name, or a case someone else closed first. */
function closeProblem(error: CombinedError, recallCase: RecallCase): DialogProblem {
  if (errorCode(error) !== "CONFLICT") {
    const problem = problemOf(error);
    return problem.field === "reason" ? problem : { message: problem.message };
  }
  const ids = error.graphQLErrors[0]?.extensions["customerIds"];
  if (Array.isArray(ids) && ids.length > 0) {
    const names = reachedCustomers(recallCase)
      .filter((c) => ids.includes(c.id))
      .map((c) => c.name);
    return {
      message: `Not every customer has been told: ${names.length ? names.join(", ") : `${ids.length} customer(s)`}. Record their notices first.`,
    };
  }
  return { message: problemOf(error).message };
}
