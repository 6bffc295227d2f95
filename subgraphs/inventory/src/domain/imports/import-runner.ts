import { randomUUID } from "node:crypto";
import { SUBJECTS, flushRecordsInBulk, pendingRecords, type Database, type Logger } from "@lotgraph/kit";
import * as store from "../../store/import-store.ts";
import type { InventoryClient, InventoryTx } from "../../store/inventory-store.ts";
import { LeaseLost, failureOf, runImportJob, type RunnableJob } from "./import-job.ts";

export interface ImportRunnerOptions {
  /** How long a claimed job is this replica's without a renewal (each batch renews it). */
  leaseSeconds?: number;
  /** How often to look for jobs left behind by a replica that stopped or crashed. */
  pollMs?: number;
  batchRows?: number;
  progressEveryMs?: number;
}

/**
 * Works import jobs in the background, one at a time per replica, each under a lease in the
 * database. A job is claimed when started (wake), and any job left unfinished is claimed once its
 * lease has run out: after a crash, the next replica to look (this one when it restarts) resumes it
 * from its committed counters. A graceful stop finishes the current batch and lets the job go at
 * once.
 */
export class ImportRunner {
  readonly #owner = randomUUID();
  readonly #options: Required<ImportRunnerOptions>;
  #timer: NodeJS.Timeout | null = null;
  #draining: Promise<void> | null = null;
  #again = false;
  #stopping = false;

  constructor(
    private readonly db: Database<InventoryClient, InventoryTx>,
    private readonly logger: Logger,
    options: ImportRunnerOptions = {},
  ) {
    this.#options = { leaseSeconds: 30, pollMs: 10_000, batchRows: 500, progressEveryMs: 250, ...options };
  }

  start(): void {
    this.#timer = setInterval(() => this.wake(), this.#options.pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Looks for work now (a job was just started). */
  wake(): void {
    if (this.#stopping) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain()
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, "import runner could not look for jobs; it will retry"),
      )
      .finally(() => {
        this.#draining = null;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Stops after the current batch; the job in hand is released for a restart to resume. */
  async close(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#draining;
  }

  async #drain(): Promise<void> {
    while (!this.#stopping) {
      const id = await store.claimImportJob(this.db.client, this.#owner, this.#options.leaseSeconds);
      if (!id) return;
      await this.#work(id);
    }
  }

  async #work(id: string): Promise<void> {
    const job = await store.loadImportJob(this.db.client, id);
    if (!job) return;
    try {
      await runImportJob(job satisfies RunnableJob, {
        db: this.db,
        owner: this.#owner,
        ...this.#options,
        stopping: () => this.#stopping,
      });
      if (this.#stopping) await store.releaseImportLease(this.db.client, id, this.#owner);
    } catch (error) {
      if (error instanceof LeaseLost) return;
      this.logger.error({ err: error, importJobId: id }, "import job failed");
      await this.#fail(id, failureOf(error)).catch((failed: unknown) =>
        this.logger.warn({ err: failed, importJobId: id }, "could not mark the import job failed; it will be resumed"),
      );
    }
  }

  async #fail(id: string, failure: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const record = pendingRecords();
      const job = await tx.importJob.update({
        where: { id },
        data: { status: "FAILED", failure, content: "", finishedAt: new Date(), leaseOwner: null, leaseUntil: null },
      });
      record.audit({
        action: "import.finished",
        entityType: "ImportJob",
        entityId: id,
        after: { status: "FAILED", failure },
      });
      record.event({
        subject: SUBJECTS.inventory.importProgressed,
        entityType: "ImportJob",
        entityId: id,
        payload: { status: "FAILED", totalRows: job.totalRows, processedRows: job.processedRows },
      });
      await flushRecordsInBulk(tx, { id: job.createdById, name: job.createdByName }, record);
    });
  }
}
