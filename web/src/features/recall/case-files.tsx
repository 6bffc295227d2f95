"use client";

import { useState } from "react";
import { readToken } from "@/lib/auth-token";
import { downloadWithToken } from "@/lib/download";
import { useGatewayUrl } from "@/lib/gateway-context";
import type { RecallCase } from "./recall-case-screen";
import styles from "./recall.module.css";

type FileKind = "pdf" | "csv" | "evidence";

/**
 * The case's files, fetched with the signed-in person's token (the gateway serves them only so):
 * the report as a PDF to read and as a spreadsheet to sort, and the evidence bundle an auditor
 * verifies without the plant's database.
 */
export function CaseFiles({ recallCase }: { recallCase: RecallCase }) {
  const gatewayUrl = useGatewayUrl();
  const [busy, setBusy] = useState<FileKind | null>(null);
  const [error, setError] = useState<string | null>(null);
  const report = recallCase.drill ? "Drill report" : "Recall report";
  const files: ReadonlyArray<{ kind: FileKind; label: string; path: string; name: string }> = [
    { kind: "pdf", label: `${report} (PDF)`, path: recallCase.reportPdfUrl, name: `${recallCase.number}.pdf` },
    { kind: "csv", label: `${report} (CSV)`, path: recallCase.reportCsvUrl, name: `${recallCase.number}.csv` },
    {
      kind: "evidence",
      label: "Evidence bundle (ZIP)",
      path: recallCase.evidenceUrl,
      name: `${recallCase.number}-evidence.zip`,
    },
  ];

  async function download(file: (typeof files)[number]) {
    setBusy(file.kind);
    setError(null);
    try {
      const token = readToken();
      if (!token) throw new Error("Your session has ended. Sign in again.");
      await downloadWithToken(new URL(file.path, gatewayUrl), token, file.name);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className={styles.files} role="group" aria-label="Files">
      {files.map((file) => (
        <button
          key={file.kind}
          type="button"
          className={`button ${styles.fileButton}`}
          onClick={() => void download(file)}
          disabled={busy !== null}
        >
          <span aria-hidden="true">⤓</span>
          {busy === file.kind ? "Preparing…" : file.label}
        </button>
      ))}
      {error && (
        <p className={styles.fileError} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
