"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation } from "urql";
import { SignatureDialog, signatureProblem } from "@/components/signature-dialog";
import type { Disposition, NonConformanceRowFragment, NonConformanceStatus } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { lotHref } from "./format-limits";
import { ListFooter, ListState } from "@/components/list-footer";
import { CloseNonConformanceMutation, NonConformancesQuery, SetDispositionMutation } from "./operations";
import { problemOf } from "@/lib/problem";
import { usePaged } from "@/lib/use-paged";
import styles from "./quality.module.css";

const PAGE_SIZE = 20;

const DISPOSITIONS: ReadonlyArray<{ value: Disposition; label: string; hint: string }> = [
  { value: "USE_AS_IS", label: "Use as is", hint: "The lot may be used; its holds stay until released." },
  { value: "REWORK", label: "Rework", hint: "The material is reworked before use." },
  { value: "SCRAP", label: "Scrap", hint: "The lot is scrapped now, everything on hand: this cannot be undone." },
  { value: "RETURN_TO_SUPPLIER", label: "Return to supplier", hint: "The material goes back to its supplier." },
];
const dispositionLabel = (value: string) => DISPOSITIONS.find((d) => d.value === value)?.label ?? value;

const FILTERS: ReadonlyArray<{ value: NonConformanceStatus | null; label: string }> = [
  { value: "OPEN", label: "Open" },
  { value: "CLOSED", label: "Closed" },
  { value: null, label: "All" },
];

/** The nonconformance register: each report's source, disposition and closure, both signed. */
export function NonConformancesPanel({ manager, revision }: { manager: boolean; revision: number }) {
  const [status, setStatus] = useState<NonConformanceStatus | null>("OPEN");
  const list = usePaged(NonConformancesQuery, { status }, (data) => data.nonConformances, {
    pageSize: PAGE_SIZE,
    revision,
  });
  const [disposing, setDisposing] = useState<NonConformanceRowFragment | null>(null);
  const [closing, setClosing] = useState<NonConformanceRowFragment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [, setDisposition] = useMutation(SetDispositionMutation);
  const [, close] = useMutation(CloseNonConformanceMutation);

  return (
    <section className={styles.card} aria-labelledby="ncr-title">
      <div className={styles.cardHead}>
        <h2 id="ncr-title" className={styles.cardTitle}>
          Nonconformance register
        </h2>
        <fieldset className={styles.filter}>
          <legend className="visually-hidden">Show</legend>
          {FILTERS.map((filter) => (
            <label key={filter.label} className={styles.filterOption}>
              <input
                type="radio"
                name="ncr-status"
                checked={status === filter.value}
                onChange={() => setStatus(filter.value)}
              />
              <span>{filter.label}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <p className={styles.muted}>Open one from a hold or from a HOLD or FAIL decision.</p>
      {notice && (
        <p className={styles.success} role="status">
          {notice}
        </p>
      )}
      <ListState
        list={list}
        what="the register"
        empty={status === "OPEN" ? "No open nonconformance." : status === "CLOSED" ? "None closed yet." : "None yet."}
      />
      {list.items.length > 0 && (
        <>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <caption className="visually-hidden">Nonconformances, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Report</th>
                  <th scope="col">What is wrong</th>
                  <th scope="col">Disposition</th>
                  <th scope="col">Opened</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((ncr) => (
                  <tr key={ncr.id} data-testid="ncr-row">
                    <td data-label="Report">
                      <strong className={styles.code}>{ncr.number}</strong>
                      <span className={ncr.status === "OPEN" ? styles.statusOpen : styles.statusClosed}>
                        {ncr.status === "OPEN" ? "Open" : "Closed"}
                      </span>
                    </td>
                    <td data-label="What is wrong">
                      {ncr.description}
                      <span className={styles.sub}>
                        {ncr.lot && (
                          <>
                            Lot <Link href={lotHref(ncr.lot.code)}>{ncr.lot.code}</Link> ·{" "}
                          </>
                        )}
                        {ncr.decision
                          ? `${ncr.decision.result} at ${ncr.decision.gate.name}`
                          : ncr.hold
                            ? `Hold: ${ncr.hold.reason}`
                            : null}
                        {" · "}owner {ncr.owner}
                      </span>
                    </td>
                    <td data-label="Disposition">
                      {ncr.disposition ? <strong>{dispositionLabel(ncr.disposition)}</strong> : "—"}
                      {ncr.correctiveAction && <span className={styles.sub}>Action: {ncr.correctiveAction}</span>}
                      {ncr.dispositionSignature && (
                        <span className={styles.signed}>
                          ✎ {ncr.dispositionSignature.signerName}, “{ncr.dispositionSignature.meaning}”,{" "}
                          {formatDateTime(ncr.dispositionSignature.signedAt)}
                        </span>
                      )}
                      {ncr.closeSignature && (
                        <span className={styles.signed}>
                          Closed ✎ {ncr.closeSignature.signerName}, {formatDateTime(ncr.closeSignature.signedAt)}
                        </span>
                      )}
                    </td>
                    <td data-label="Opened">
                      {ncr.openedByName}
                      <span className={styles.sub}>{formatDateTime(ncr.openedAt)}</span>
                    </td>
                    <td className={styles.rowActions}>
                      {manager && ncr.status === "OPEN" && (
                        <>
                          <button
                            type="button"
                            className={`button ${styles.smallButton}`}
                            onClick={() => setDisposing(ncr)}
                            aria-label={`Set the disposition of ${ncr.number}`}
                          >
                            {ncr.disposition ? "Change disposition…" : "Set disposition…"}
                          </button>
                          {ncr.disposition && (
                            <button
                              type="button"
                              className={`button ${styles.smallButton}`}
                              onClick={() => setClosing(ncr)}
                              aria-label={`Close ${ncr.number}`}
                            >
                              Close…
                            </button>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter list={list} noun="nonconformances" />
        </>
      )}
      {disposing && (
        <SignatureDialog
          title={`Disposition of ${disposing.number}`}
          summary={<p>{disposing.description}</p>}
          meaning="disposition approved"
          submitLabel="Sign disposition"
          onClose={() => setDisposing(null)}
          onSign={async (signature, form) => {
            const result = await setDisposition({
              input: {
                nonConformanceId: disposing.id,
                disposition: String(form.get("disposition")) as Disposition,
                correctiveAction: String(form.get("correctiveAction") ?? "").trim() || null,
                signature,
              },
            });
            if (result.error) return signatureProblem(result.error, problemOf);
            setNotice(`${disposing.number}: disposition signed.`);
            void list.reload();
            return null;
          }}
        >
          <fieldset className={styles.dispositions}>
            <legend>Disposition</legend>
            {DISPOSITIONS.map((d, index) => (
              <label key={d.value} className={styles.disposition}>
                <input
                  type="radio"
                  name="disposition"
                  value={d.value}
                  required
                  defaultChecked={disposing.disposition ? disposing.disposition === d.value : index === 0}
                />
                <span>
                  <strong>{d.label}</strong>
                  <span className={styles.kindHint}>{d.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label>
            Corrective action
            <textarea
              name="correctiveAction"
              className="input"
              rows={2}
              maxLength={2000}
              defaultValue={disposing.correctiveAction ?? ""}
            />
          </label>
        </SignatureDialog>
      )}
      {closing && (
        <SignatureDialog
          title={`Close ${closing.number}`}
          summary={
            <p>
              {closing.description} — disposition <strong>{dispositionLabel(closing.disposition ?? "")}</strong>.
            </p>
          }
          meaning="nonconformance closed"
          submitLabel="Sign and close"
          onClose={() => setClosing(null)}
          onSign={async (signature) => {
            const result = await close({ input: { nonConformanceId: closing.id, signature } });
            if (result.error) return signatureProblem(result.error, problemOf);
            setNotice(`${closing.number} closed.`);
            void list.reload();
            return null;
          }}
        />
      )}
    </section>
  );
}
