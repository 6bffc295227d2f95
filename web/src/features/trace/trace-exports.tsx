"use client";

import { useState } from "react";
import { useClient } from "urql";
import { useMe } from "@/features/auth/use-me";
import { readToken } from "@/lib/auth-token";
import { downloadWithToken } from "@/lib/download";
import { describeError } from "@/lib/errors";
import { useGatewayUrl } from "@/lib/gateway-context";
import { grants } from "@/lib/roles";
import { EpcisDocumentQuery } from "./operations";
import styles from "./trace.module.css";

type Direction = "UPSTREAM" | "DOWNSTREAM";

/**
 * The regulator's files for one lot's trace: the FSMA 204 spreadsheet and the EPCIS 2.0 document.
 * The API gives them to auditors and managers, so only they see the buttons.
 */
export function TraceExports({ lotId, code, direction }: { lotId: string; code: string; direction: Direction }) {
  const { me } = useMe();
  const gatewayUrl = useGatewayUrl();
  const client = useClient();
  const [busy, setBusy] = useState<"csv" | "epcis" | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!me || !grants(me.roles, ["AUDITOR", "MANAGER"])) return null;
  const which = direction === "UPSTREAM" ? "upstream" : "downstream";

  async function run(kind: "csv" | "epcis", task: () => Promise<void>) {
    setBusy(kind);
    setError(null);
    try {
      await task();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  }

  const fsma = () =>
    run("csv", async () => {
      const token = readToken();
      if (!token) throw new Error("Your session has ended. Sign in again.");
      const url = new URL("/exports/fsma204.csv", gatewayUrl);
      url.searchParams.set("lotId", lotId);
      url.searchParams.set("direction", direction);
      await downloadWithToken(url, token, `fsma204-${code}-${which}.csv`);
    });

  const epcis = () =>
    run("epcis", async () => {
      const result = await client
        .query(EpcisDocumentQuery, { lotId, direction }, { requestPolicy: "network-only" })
        .toPromise();
      if (result.error) throw new Error(describeError(result.error));
      const blob = new Blob([JSON.stringify(result.data?.epcisDocument, null, 2)], { type: "application/ld+json" });
      const href = URL.createObjectURL(blob);
      const link = Object.assign(document.createElement("a"), { href, download: `epcis-${code}-${which}.jsonld` });
      document.body.append(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(href);
    });

  return (
    <div className={styles.exports}>
      <div className={styles.actions}>
        <button type="button" className="button" onClick={fsma} disabled={busy !== null}>
          {busy === "csv" ? "Preparing…" : `FSMA 204 spreadsheet (${which})`}
        </button>
        <button type="button" className="button" onClick={epcis} disabled={busy !== null}>
          {busy === "epcis" ? "Preparing…" : `EPCIS document (${which})`}
        </button>
      </div>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
