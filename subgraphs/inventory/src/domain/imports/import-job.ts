import {
  DomainError,
  SUBJECTS,
  flushRecordsInBulk,
  pendingRecords,
  type Database,
  type PendingRecords,
} from "@lotgraph/kit";
import { setImmediate as macrotask } from "node:timers/promises";
import * as store from "../../store/import-store.ts";
import type { InventoryClient, InventoryTx } from "../../store/inventory-store.ts";
import type { Actor } from "../common.ts";
import type { InventoryCommand } from "../inventory-command.ts";
import { readImportRows, type ImportFormat, type ImportKind } from "./import-format.ts";
import { planRows, recheckItems, type ItemOfKind, type Outcome } from "./import-plan.ts";
import type { ImportMode, ImportStatus } from "./import-records.ts";
import { checkRow } from "./import-rows.ts";
import { writeItems } from "./import-writes.ts";

/** A job as the runner works it: its content, where it stands, who started it. */
export interface RunnableJob {
  id: string;
  kind: ImportKind;
  format: ImportFormat;
  mode: ImportMode;
  dryRun: boolean;
  status: ImportStatus;
  content: string;
  totalRows: number;
  processedRows: number;
  createdById: string;
  createdByName: string;
}

export interface JobRunOptions {
  db: Database<InventoryClient, InventoryTx>;
  /** This replica's lease on the job, renewed with every step. */
  owner: string;
  leaseSeconds: number;
  /** Rows of the file per write transaction. */
  batchRows: number;
  /** Least time between two progress events of a running job. */
  progressEveryMs: number;
  /** True once the runner is stopping: the job is left between two batches, to be resumed. */
  stopping(): boolean;
}

/** The job was taken over by another replica (this one's lease ran out): stop, write nothing. */
export class LeaseLost extends Error {}

type Counters = Parameters<typeof store.updateImportJob>[2];

/**
 * Works a job to its end, or to the next batch boundary when the runner stops. Every step
 * commits the job's counters with the rows they count, so a job resumed after a crash goes on
 * from the first row not committed (and rows are idempotent by natural key anyway).
 *
 * QUEUED → VALIDATING (every row checked and planned at once; its errors stored) → a dry run is
 * SUCCEEDED, ALL_OR_NOTHING with errors FAILED, else RUNNING, batch by batch → SUCCEEDED.
 */
export async function runImportJob(job: RunnableJob, options: JobRunOptions): Promise<void> {
  const work = new JobWork(job, options);
  if (job.status === "QUEUED")
    await work.step(async ({ tx }, record) => {
      await store.updateImportJob(tx, job.id, { status: "VALIDATING", startedAt: new Date() });
      work.progress(record, "VALIDATING", 0);
    });
  const now = new Date();
  const outcomes = await planRows(
    job.kind,
    readImportRows(job.kind, job.format, job.content).map((raw) => checkRow(job.kind, raw, now)),
    store.importLookups(options.db.client),
  );
  if (job.status !== "RUNNING" && (await work.validated(outcomes))) return;
  await work.writeFrom(job.status === "RUNNING" ? job.processedRows : 0, outcomes);
}

/** One job's steps, each a transaction that renews the lease and records progress. */
class JobWork {
  readonly #actor: Actor;
  #lastProgress = Date.now();

  constructor(
    private readonly job: RunnableJob,
    private readonly options: JobRunOptions,
  ) {
    this.#actor = { id: job.createdById, name: job.createdByName, via: null };
  }

  async step(fn: (cmd: InventoryCommand, record: PendingRecords) => Promise<void>): Promise<void> {
    // Between two steps the event loop takes a turn: a job is one long chain of promises, which
    // would otherwise hold back every request and socket of the process (embedded mode above all).
    await macrotask();
    await this.options.db.transaction(async (tx) => {
      if (!(await store.renewImportLease(tx, this.job.id, this.options.owner, this.options.leaseSeconds)))
        throw new LeaseLost();
      const record = pendingRecords();
      await fn({ tx, actor: this.#actor, record }, record);
      await flushRecordsInBulk(tx, this.#actor, record);
    });
  }

  progress(record: PendingRecords, status: ImportStatus, processedRows: number): void {
    this.#lastProgress = Date.now();
    record.event({
      subject: SUBJECTS.inventory.importProgressed,
      entityType: "ImportJob",
      entityId: this.job.id,
      payload: { status, totalRows: this.job.totalRows, processedRows },
    });
  }

  /** Stores the file's row errors; true when that ends the job (a dry run, or ALL_OR_NOTHING with errors). */
  async validated(outcomes: readonly Outcome<ImportKind>[]): Promise<boolean> {
    const { job } = this;
    const count = (status: Outcome<ImportKind>["status"]) => outcomes.filter((o) => o.status === status).length;
    const errors = outcomes.flatMap((o) => (o.status === "failed" ? o.errors : []));
    const failedRows = count("failed");
    const finished = job.dryRun || (job.mode === "ALL_OR_NOTHING" && failedRows > 0);
    await this.step(async ({ tx }, record) => {
      await store.insertImportErrors(tx, job.id, 0, errors);
      const counters = { failedRows, errorCount: errors.length };
      if (!finished) {
        await store.updateImportJob(tx, job.id, { ...counters, status: "RUNNING" });
        return this.progress(record, "RUNNING", 0);
      }
      const status = job.dryRun ? "SUCCEEDED" : "FAILED";
      await this.finish(tx, record, status, {
        ...counters,
        processedRows: job.totalRows,
        importedRows: job.dryRun ? count("new") : 0,
        presentRows: job.dryRun ? count("present") : 0,
        failure: job.dryRun ? null : `${failedRows} of ${job.totalRows} rows have errors: nothing was imported`,
      });
    });
    return finished;
  }

  /** Writes the new rows from row `from` on (0-based), a batch per transaction. */
  async writeFrom(from: number, outcomes: readonly Outcome<ImportKind>[]): Promise<void> {
    for (let start = from; start < outcomes.length; start += this.options.batchRows) {
      if (this.options.stopping()) return;
      const end = Math.min(start + this.options.batchRows, outcomes.length);
      if (!(await this.writeBatch(start, end, outcomes.slice(start, end), end === outcomes.length))) return;
    }
  }

  /** One batch; false when it ended the job (a row taken meanwhile under ALL_OR_NOTHING). */
  async writeBatch(
    start: number,
    end: number,
    planned: readonly Outcome<ImportKind>[],
    last: boolean,
  ): Promise<boolean> {
    const { job } = this;
    let goOn = true;
    await this.step(async (cmd, record) => {
      const { tx } = cmd;
      const fresh = await recheckItems(job.kind, newItems(planned), store.importLookups(tx));
      const late = fresh.flatMap((o) => (o.status === "failed" ? o.errors : []));
      const { errorCount } = await tx.importJob.findUniqueOrThrow({
        where: { id: job.id },
        select: { errorCount: true },
      });
      await store.insertImportErrors(tx, job.id, errorCount, late);
      const lateCounters = {
        failedRows: { increment: fresh.filter((o) => o.status === "failed").length },
        errorCount: { increment: late.length },
      };
      if (late.length && job.mode === "ALL_OR_NOTHING") {
        // The file was valid when checked, but a key was taken meanwhile. Earlier batches are
        // committed: the job stops here and says so (a re-run finishes it).
        goOn = false;
        return this.finish(tx, record, "FAILED", {
          ...lateCounters,
          processedRows: start,
          failure: `row ${late[0]!.row} changed in the database while the import ran (${late[0]!.message}); rows 1 to ${start} were imported, the rest was not: fix the file and run it again`,
        });
      }
      const items = newItems(fresh);
      await writeItems(cmd, job.kind, items, job.id);
      const present = [...planned, ...fresh].filter((o) => o.status === "present").length;
      const counters = {
        ...lateCounters,
        processedRows: end,
        importedRows: { increment: items.length },
        presentRows: { increment: present },
      };
      if (last) return this.finish(tx, record, "SUCCEEDED", counters);
      await store.updateImportJob(tx, job.id, counters);
      if (Date.now() - this.#lastProgress >= this.options.progressEveryMs) this.progress(record, "RUNNING", end);
    });
    return goOn;
  }

  /** The job's last step: its status and counters, the audit entry that closes it, the last progress event. */
  async finish(tx: InventoryTx, record: PendingRecords, status: "SUCCEEDED" | "FAILED", counters: Counters) {
    await store.updateImportJob(tx, this.job.id, {
      ...counters,
      status,
      // The file was kept to resume the job; once it has ended, it is not needed any more.
      content: "",
      finishedAt: new Date(),
      leaseOwner: null,
      leaseUntil: null,
    });
    const after = await tx.importJob.findUniqueOrThrow({
      where: { id: this.job.id },
      select: {
        status: true,
        processedRows: true,
        importedRows: true,
        presentRows: true,
        failedRows: true,
        failure: true,
      },
    });
    record.audit({ action: "import.finished", entityType: "ImportJob", entityId: this.job.id, after });
    this.progress(record, status, after.processedRows);
  }
}

function newItems<K extends ImportKind>(outcomes: readonly Outcome<K>[]): ItemOfKind[K][] {
  return outcomes.flatMap((o) => (o.status === "new" ? [o.item] : []));
}

/** Why a job failed as a whole, as its `failure` says: a domain refusal's own message, else a generic one. */
export function failureOf(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  return "stopped by an unexpected error (the server log has it); running the same file again resumes it: rows already imported count as already present";
}
