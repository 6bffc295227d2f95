"use client";

import { useState } from "react";
import { useClient, useQuery } from "urql";
import { describeError, errorCode } from "@/lib/errors";
import { RecallLotQuery, RecallQuery } from "./operations";

export type SourceKind = "lot" | "supplierLotCode";

/** What a case would start from, once the code typed is known to be one. */
export type RecallSource = { lotId: string; code: string } | { supplierLotCode: string };

/** What the code field knows about the code in it. */
export type SourceCheck =
  | { state: "empty" }
  | { state: "checking" }
  | { state: "found"; source: RecallSource; materialName?: string }
  | { state: "missing"; message: string }
  | { state: "failed"; message: string };

/**
 * The source of a new case from a code a person typed or scanned: a lot code is looked up (a
 * missing lot said in words next to the field), a supplier lot code is taken as given; then what
 * it reaches is read (`recall`), the preview a manager sees before holding anything. A supplier
 * lot code nobody received is refused there, as NOT_FOUND.
 */
export function useRecallSource() {
  const client = useClient();
  const [check, setCheck] = useState<SourceCheck>({ state: "empty" });
  const source = check.state === "found" ? check.source : null;
  const [preview] = useQuery({
    query: RecallQuery,
    variables: source && "lotId" in source ? { lotId: source.lotId } : { supplierLotCode: source?.supplierLotCode },
    pause: !source,
    requestPolicy: "network-only",
  });

  async function resolve(kind: SourceKind, raw: string): Promise<void> {
    const code = raw.trim();
    if (!code) return setCheck({ state: "empty" });
    if (check.state === "found" && sourceCode(check.source) === code && sourceKind(check.source) === kind) return;
    if (kind === "supplierLotCode") return setCheck({ state: "found", source: { supplierLotCode: code } });
    setCheck({ state: "checking" });
    const result = await client.query(RecallLotQuery, { code }, { requestPolicy: "network-only" }).toPromise();
    if (result.error) return setCheck({ state: "failed", message: describeError(result.error) });
    const lot = result.data?.lot;
    setCheck(
      lot
        ? { state: "found", source: { lotId: lot.id, code: lot.code }, materialName: lot.material.name }
        : { state: "missing", message: `No lot has the code ${code}. Check the label, or scan it again.` },
    );
  }

  const previewProblem =
    source && preview.error
      ? errorCode(preview.error) === "NOT_FOUND" && "supplierLotCode" in source
        ? `No lot was received under the supplier lot code ${source.supplierLotCode}. Check the code on the supplier's notice.`
        : describeError(preview.error)
      : null;

  return {
    check,
    source,
    preview: source && !preview.error && !preview.fetching && preview.data ? preview.data.recall : null,
    previewing: Boolean(source) && preview.fetching,
    previewProblem,
    resolve,
    reset: () => setCheck({ state: "empty" }),
  };
}

export const sourceKind = (source: RecallSource): SourceKind => ("lotId" in source ? "lot" : "supplierLotCode");
export const sourceCode = (source: RecallSource): string => ("lotId" in source ? source.code : source.supplierLotCode);
