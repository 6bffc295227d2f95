"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { FormActions } from "@/components/form-actions";
import { FormField } from "@/components/form-field";
import formStyles from "@/components/form.module.css";
import pageStyles from "@/components/page.module.css";
import { useMe } from "@/features/auth/use-me";
import { describeError } from "@/lib/errors";
import { problemOf } from "@/lib/problem";
import { grants } from "@/lib/roles";
import { ImportJobQuery, ImportProgressSignal, StartImportMutation } from "./operations";
import styles from "./import.module.css";

type Kind = "MATERIALS" | "LOCATIONS" | "PARTIES" | "OPENING_STOCK";
type Format = "CSV" | "JSON";
type Mode = "ALL_OR_NOTHING" | "VALID_ROWS";

const KINDS: ReadonlyArray<{ value: Kind; label: string; columns: string }> = [
  {
    value: "OPENING_STOCK",
    label: "Opening stock",
    columns: "sku, locationCode, lotCode, quantity, supplierCode, supplierLotCode, expiresAt",
  },
  { value: "MATERIALS", label: "Materials", columns: "sku, name, uom, kind, tracking, inspectionRequired" },
  { value: "LOCATIONS", label: "Locations", columns: "code, name, kind, parentCode" },
  { value: "PARTIES", label: "Suppliers and customers", columns: "code, name, kind" },
];

/** Bulk import (MANAGER): a file checked first (dry run), then imported, its progress live. */
export function ImportScreen() {
  const { me, loading } = useMe();
  const [jobId, setJobId] = useState<string | null>(null);
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["MANAGER"]))
    return (
      <div className={pageStyles.statePanel}>
        <h1>Import</h1>
        <p>Imports of master data and opening stock are run by managers.</p>
        <Link href="/" className="button">
          Go to the floor
        </Link>
      </div>
    );
  return (
    <>
      <div className={pageStyles.toolbar}>
        <div>
          <h1 className={pageStyles.title}>Import</h1>
          <p className={pageStyles.lede}>
            Materials, locations, parties or opening stock from a CSV or JSON file. Check it first with a dry run: rows
            already present are left as they are.
          </p>
        </div>
      </div>
      <ImportForm onStarted={setJobId} />
      {jobId && <ImportJobPanel key={jobId} jobId={jobId} />}
    </>
  );
}

function ImportForm({ onStarted }: { onStarted(jobId: string): void }) {
  const [kind, setKind] = useState<Kind>("OPENING_STOCK");
  const [format, setFormat] = useState<Format>("CSV");
  const [mode, setMode] = useState<Mode>("ALL_OR_NOTHING");
  const [content, setContent] = useState("");
  const [{ fetching, error }, start] = useMutation(StartImportMutation);
  const problem = error ? problemOf(error) : null;

  async function run(dryRun: boolean) {
    const result = await start({ input: { kind, format, content, dryRun, mode } });
    if (result.data) onStarted(result.data.startImport.importJob.id);
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(false);
  }
  async function readFile(file: File | undefined) {
    if (!file) return;
    setContent(await file.text());
    if (file.name.toLowerCase().endsWith(".json")) setFormat("JSON");
    else if (file.name.toLowerCase().endsWith(".csv")) setFormat("CSV");
  }

  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="import-form-title">
      <h2 id="import-form-title">File</h2>
      <FileChoices
        kind={kind}
        format={format}
        mode={mode}
        onKind={setKind}
        onFormat={setFormat}
        onMode={setMode}
        onFile={(file) => void readFile(file)}
      />
      <FormField
        label="Content"
        error={problem?.field === "content" ? problem.message : undefined}
        hint="Paste the file here, or upload it above. At most 1.5 MiB and 50,000 rows."
      >
        <textarea
          className={`input ${styles.content}`}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          spellCheck={false}
        />
      </FormField>
      <FormActions
        problem={problem?.field === "content" ? null : problem}
        busy={fetching}
        label="Import"
        busyLabel="Starting…"
      >
        <button type="button" className="button" disabled={fetching} onClick={() => void run(true)}>
          Dry run
        </button>
      </FormActions>
    </form>
  );
}

function FileChoices(props: {
  kind: Kind;
  format: Format;
  mode: Mode;
  onKind(kind: Kind): void;
  onFormat(format: Format): void;
  onMode(mode: Mode): void;
  onFile(file: File | undefined): void;
}) {
  const { kind, format, mode } = props;
  const columns = KINDS.find((k) => k.value === kind)?.columns ?? "";
  return (
    <div className={formStyles.grid}>
      <FormField label="What" hint={`Columns: ${columns}`}>
        <select className="input" value={kind} onChange={(e) => props.onKind(e.target.value as Kind)}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Format">
        <select className="input" value={format} onChange={(e) => props.onFormat(e.target.value as Format)}>
          <option value="CSV">CSV (header row first)</option>
          <option value="JSON">JSON (array of objects)</option>
        </select>
      </FormField>
      <FormField label="If some rows are wrong">
        <select className="input" value={mode} onChange={(e) => props.onMode(e.target.value as Mode)}>
          <option value="ALL_OR_NOTHING">Import nothing</option>
          <option value="VALID_ROWS">Import the valid rows</option>
        </select>
      </FormField>
      <FormField label="Upload a file">
        <input
          className="input"
          type="file"
          accept=".csv,.json,text/csv,application/json"
          onChange={(e) => props.onFile(e.target.files?.[0])}
        />
      </FormField>
    </div>
  );
}

const DONE = ["SUCCEEDED", "FAILED"];
const FALLBACK_READ_MS = 2_000;

function ImportJobPanel({ jobId }: { jobId: string }) {
  const [{ data, error }, reload] = useQuery({
    query: ImportJobQuery,
    variables: { id: jobId },
    requestPolicy: "network-only",
  });
  const job = data?.importJob;
  const finished = job ? DONE.includes(job.status) : false;
  // Every update re-reads the job: what is shown is what the API says now, errors included.
  useSubscription({ query: ImportProgressSignal, variables: { importJobId: jobId }, pause: finished }, () => {
    reload({ requestPolicy: "network-only" });
    return undefined;
  });
  // Updates sent before the subscription was open are not replayed (a small file is done by
  // then): a slow re-read until the end catches what the subscription cannot.
  useEffect(() => {
    if (finished) return undefined;
    const timer = setInterval(() => reload({ requestPolicy: "network-only" }), FALLBACK_READ_MS);
    return () => clearInterval(timer);
  }, [finished, reload]);
  if (error) return <p role="alert">{describeError(error)}</p>;
  if (!job) return <p role="status">Loading the import…</p>;
  const percent = job.totalRows ? Math.round((job.processedRows / job.totalRows) * 100) : 0;
  return (
    <section className={styles.section} aria-labelledby="import-job-title">
      <h2 id="import-job-title">{job.dryRun ? "Dry run" : "Import"}</h2>
      <label htmlFor="import-progress">
        {statusText(job.status, job.dryRun)}: {job.processedRows} of {job.totalRows} rows
      </label>
      <progress id="import-progress" className={styles.progress} max={100} value={percent} />
      <p className={styles.summary} role="status" data-testid="import-summary">
        {job.dryRun ? "Would import" : "Imported"} {job.importedRows}, already present {job.alreadyPresentRows}, with
        errors {job.failedRows}.{job.failure ? ` ${job.failure}` : ""}
      </p>
      <RowErrors errors={job.errors} errorCount={job.errorCount} />
    </section>
  );
}

function RowErrors({
  errors,
  errorCount,
}: {
  errors: ReadonlyArray<{ row: number; column?: string | null; message: string }>;
  errorCount: number;
}) {
  if (errors.length === 0) return null;
  const job = { errors, errorCount };
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table} aria-label="Row errors">
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {job.errors.map((e, i) => (
            <tr key={`${e.row}-${i}`} data-testid="import-error-row">
              <th scope="row">{e.row}</th>
              <td>{e.column ?? "(the row)"}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {job.errorCount > job.errors.length && (
        <p className={formStyles.hint}>
          The first {job.errors.length} of {job.errorCount} errors.
        </p>
      )}
    </div>
  );
}

function statusText(status: string, dryRun: boolean): string {
  if (status === "QUEUED") return "Waiting";
  if (status === "VALIDATING") return "Checking";
  if (status === "RUNNING") return "Importing";
  if (status === "SUCCEEDED") return dryRun ? "Checked" : "Done";
  return "Stopped";
}
