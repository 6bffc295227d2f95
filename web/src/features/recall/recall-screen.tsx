"use client";

import { useSearchParams } from "next/navigation";
import { RecallLookup } from "./recall-lookup";
import { RecallWorkspace } from "./recall-workspace";

/**
 * /recall: the workspace of recall cases and drills; with `?lot=` or `?supplierLotCode=`, the
 * quick look-up of what a lot reached (the trace screen and a lot's page link to it).
 */
export function RecallScreen() {
  const params = useSearchParams();
  const lotCode = params.get("lot")?.trim() || null;
  const supplierLotCode = params.get("supplierLotCode")?.trim() || null;
  if (lotCode || supplierLotCode) return <RecallLookup lotCode={lotCode} supplierLotCode={supplierLotCode} />;
  return <RecallWorkspace />;
}
