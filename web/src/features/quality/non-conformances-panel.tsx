"use client";

import { useState } from "react";
import type { NonConformanceRowFragment, NonConformanceStatus } from "@/gql/graphql";
import { usePaged } from "@/lib/use-paged";
import { ListCard } from "./list-card";
import { CloseNonConformanceDialog, DispositionDialog } from "./non-conformance-dialogs";
import { NonConformanceRow } from "./non-conformance-row";
import { NonConformancesQuery } from "./operations";
import styles from "./quality.module.css";

const PAGE_SIZE = 20;

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
  const onSigned = (message: string) => {
    setNotice(message);
    void list.reload();
  };

  return (
    <ListCard
      titleId="ncr-title"
      title="Nonconformance register"
      control={<StatusFilter status={status} onChange={setStatus} />}
      intro={
        <>
          <p className={styles.muted}>Open one from a hold or from a HOLD or FAIL decision.</p>
          {notice && (
            <p className={styles.success} role="status">
              {notice}
            </p>
          )}
        </>
      }
      list={list}
      what="the register"
      empty={status === "OPEN" ? "No open nonconformance." : status === "CLOSED" ? "None closed yet." : "None yet."}
      noun="nonconformances"
      caption="Nonconformances, newest first"
      columns={["Report", "What is wrong", "Disposition", "Opened"]}
      row={(ncr) => <NonConformanceRow ncr={ncr} manager={manager} onDispose={setDisposing} onClose={setClosing} />}
    >
      {disposing && <DispositionDialog ncr={disposing} onClose={() => setDisposing(null)} onSigned={onSigned} />}
      {closing && <CloseNonConformanceDialog ncr={closing} onClose={() => setClosing(null)} onSigned={onSigned} />}
    </ListCard>
  );
}

function StatusFilter({
  status,
  onChange,
}: {
  status: NonConformanceStatus | null;
  onChange(status: NonConformanceStatus | null): void;
}) {
  return (
    <fieldset className={styles.filter}>
      <legend className="visually-hidden">Show</legend>
      {FILTERS.map((filter) => (
        <label key={filter.label} className={styles.filterOption}>
          <input
            type="radio"
            name="ncr-status"
            checked={status === filter.value}
            onChange={() => onChange(filter.value)}
          />
          <span>{filter.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
