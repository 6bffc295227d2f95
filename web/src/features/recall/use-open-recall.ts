"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation, type CombinedError } from "urql";
import { useAttemptKey } from "@/lib/attempt-key";
import { errorCode } from "@/lib/errors";
import { problemOf, type Problem } from "@/lib/problem";
import { OpenRecallMutation } from "./operations";
import { useRecallSource, type RecallSource, type SourceKind } from "./use-recall-source";

export interface OpenRecallStart {
  kind: SourceKind;
  code: string;
  drill: boolean;
}

/**
 * The open form's state: where the case starts, recall or drill, why; what the source reaches;
 * and the submission, retried under one idempotency key until it succeeds or the form changes.
 * On success the case page opens.
 */
export function useOpenRecall(start: OpenRecallStart) {
  const router = useRouter();
  const [kind, setKind] = useState<SourceKind>(start.kind);
  const [code, setCode] = useState(start.code);
  const [drill, setDrill] = useState(start.drill);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const source = useRecallSource();
  const attempt = useAttemptKey();
  const [{ fetching }, open] = useMutation(OpenRecallMutation);

  // A code from the address (a look-up's "Open a recall case…") is checked at once; later codes
  // as they are typed.
  const checkedStart = useRef(false);
  useEffect(() => {
    if (checkedStart.current || !start.code) return;
    checkedStart.current = true;
    void source.resolve(start.kind, start.code);
  });

  function change(next: { kind?: SourceKind; code?: string; drill?: boolean; reason?: string }) {
    if (next.kind !== undefined || next.code !== undefined) source.reset();
    if (next.kind !== undefined) setKind(next.kind);
    if (next.code !== undefined) setCode(next.code);
    if (next.drill !== undefined) setDrill(next.drill);
    if (next.reason !== undefined) setReason(next.reason);
    setProblem(null);
    attempt.renew();
  }

  const blocked = whyNotYet(drill, reason, source);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const from = source.source;
    if (!from || blocked) return;
    setProblem(null);
    const result = await open({
      input: {
        ...("lotId" in from ? { lotId: from.lotId } : { supplierLotCode: from.supplierLotCode }),
        reason: reason.trim(),
        drill,
        idempotencyKey: attempt.current(),
      },
    });
    // A refusal opened nothing: the next try is a new attempt. A lost answer keeps the key, so
    // pressing again cannot open a second case.
    if (!result.error?.networkError) attempt.renew();
    if (result.error) return setProblem(openProblem(result.error, from));
    const opened = result.data?.openRecall.recallCase;
    if (opened) router.push(`/recall/${opened.id}`);
  }

  return { kind, code, drill, reason, problem, source, blocked, busy: fetching, change, submit };
}

export type OpenRecallForm = ReturnType<typeof useOpenRecall>;

/** Why the form may not be sent yet, in words; null once it may. */
function whyNotYet(drill: boolean, reason: string, source: ReturnType<typeof useRecallSource>): string | null {
  if (!source.source) return "Enter the lot code or the supplier lot code first.";
  if (source.previewProblem) return "Correct the code first.";
  if (!drill && !source.preview) return "Wait until Lotgraph shows what it reaches: nothing is held before you see it.";
  if (!reason.trim()) return "Say why, for the record.";
  return null;
}

/** The API's refusal of openRecall, in words: an unknown lot or code, a missing role, a bad field. */
function openProblem(error: CombinedError, from: RecallSource): Problem {
  switch (errorCode(error)) {
    case "NOT_FOUND":
      return "lotId" in from
        ? { message: `No lot has the code ${from.code}.`, field: "lotId" }
        : {
            message: `No lot was received under the supplier lot code ${from.supplierLotCode}.`,
            field: "supplierLotCode",
          };
    case "FORBIDDEN":
      return { message: "Only a quality manager may open a recall or run a drill." };
    default:
      return problemOf(error);
  }
}
