"use client";

import { useState } from "react";
import { ListFooter, ListState } from "@/components/list-footer";
import type { NonConformanceRowFragment, NonConformanceStatus } from "@/gql/graphql";
import { usePaged } from "@/lib/use-paged";
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
    <section className={styles.card} aria-labelledby="ncr-title">
      <div className={styles.cardHead}>
        <h2 id="ncr-title" className={styles.cardTitle}>
          Nonconformance register
        </h2>
        <StatusFilter status={status} onChange={setStatus} />
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
          <NonConformanceTable ncrs={list.items} manager={manager} onDispose={setDisposing} onClose={setClosing} />
          <ListFooter list={list} noun="nonconformances" />
        </>
      )}
      {disposing && <DispositionDialog ncr={disposing} onClose={() => setDisposing(null)} onSigned={onSigned} />}
      {closing && <CloseNonConformanceDialog ncr={closing} onClose={() => setClosing(null)} onSigned={onSigned} />}
    </section>
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

function NonConformanceTable({
  ncrs,
  manager,
  onDispose,
  onClose,
}: {
  ncrs: NonConformanceRowFragment[];
  manager: boolean;
  onDispose(ncr: NonConformanceRowFragment): void;
  onClose(ncr: NonConformanceRowFragment): void;
}) {
  return (
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
          {ncrs.map((ncr) => (
            <NonConformanceRow key={ncr.id} ncr={ncr} manager={manager} onDispose={onDispose} onClose={onClose} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
