"use client";

import type { ReactNode } from "react";
import { useMutation } from "urql";
import { ActionDialog } from "@/components/signature-dialog";
import { useMe } from "@/features/auth/use-me";
import { OpenNonConformanceMutation } from "./operations";
import { problemOf } from "@/lib/problem";

/** Opens a nonconformance report from a hold or from a decision (not signed: anyone on the floor may raise one). */
export function OpenNonConformanceDialog({
  source,
  summary,
  onClose,
  onOpened,
}: {
  source: { holdId: string } | { decisionId: string };
  summary: ReactNode;
  onClose(): void;
  onOpened(number: string): void;
}) {
  const { me } = useMe();
  const [, open] = useMutation(OpenNonConformanceMutation);
  return (
    <ActionDialog
      title="Open a nonconformance"
      summary={summary}
      submitLabel="Open nonconformance"
      onClose={onClose}
      onSubmit={async (form) => {
        const result = await open({
          input: {
            ...source,
            description: String(form.get("description") ?? "").trim(),
            owner: String(form.get("owner") ?? "").trim(),
          },
        });
        if (result.error) return problemOf(result.error);
        if (result.data) onOpened(result.data.openNonConformance.nonConformance.number);
        return null;
      }}
    >
      <label>
        What is wrong
        <textarea name="description" className="input" rows={3} required maxLength={2000} />
      </label>
      <label>
        Owner (who follows it up)
        <input name="owner" className="input" required defaultValue={me?.name ?? ""} autoComplete="off" />
      </label>
    </ActionDialog>
  );
}
