import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  badInput,
  command,
  idempotencyKey,
  readPage,
  requireRole,
  toConnection,
  type Connection,
  type Database,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../../store/import-store.ts";
import type { InventoryClient, InventoryTx } from "../../store/inventory-store.ts";
import { vanished } from "../inventory-command.ts";
import { readImportRows } from "./import-format.ts";
import type { ImportJobRecord, ImportRowErrorRecord } from "./import-records.ts";

const startImportSchema = z.object({
  kind: z.enum(["MATERIALS", "LOCATIONS", "PARTIES", "OPENING_STOCK"]),
  format: z.enum(["CSV", "JSON"]),
  content: z.string(),
  dryRun: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  mode: z
    .enum(["ALL_OR_NOTHING", "VALID_ROWS"])
    .nullish()
    .transform((value) => value ?? "ALL_OR_NOTHING"),
  idempotencyKey,
});

/** Row errors one request may page through at once. */
const MAX_ERRORS_PAGE = 1_000;

/** Starts bulk imports and reads them; the work itself is the ImportRunner's. */
export class ImportService {
  constructor(
    private readonly db: Database<InventoryClient, InventoryTx>,
    private readonly runner: { wake(): void },
  ) {}

  /**
   * Checks what can be checked at once (size, format, header) and queues the job; the same
   * idempotencyKey with the same input returns the first job and queues nothing.
   */
  async startImport(caller: Principal | null, raw: unknown): Promise<ImportJobRecord> {
    const job = await command(this.db, caller, raw, {
      name: "startImport",
      role: "MANAGER",
      input: startImportSchema,
      // Reading the file happens before the transaction (prepare), so it holds no lock meanwhile.
      prepare: async (input) => ({ totalRows: readImportRows(input.kind, input.format, input.content).length }),
      run: async ({ tx, input: { idempotencyKey: _key, ...input }, caller, prepared, record }) => {
        const id = randomUUID();
        await store.insertImportJob(tx, {
          id,
          ...input,
          status: "QUEUED",
          totalRows: prepared.totalRows,
          createdById: caller.id,
          createdByName: caller.name,
          createdAt: new Date(),
        });
        const { content, ...described } = input;
        record.audit({
          action: "import.started",
          entityType: "ImportJob",
          entityId: id,
          after: { ...described, totalRows: prepared.totalRows, contentBytes: Buffer.byteLength(content, "utf8") },
        });
        record.event({
          subject: SUBJECTS.inventory.importProgressed,
          entityType: "ImportJob",
          entityId: id,
          payload: { status: "QUEUED", totalRows: prepared.totalRows, processedRows: 0 },
        });
        return id;
      },
      reload: async (id, { tx }) => (await store.findImportJob(tx, id)) ?? vanished("import job", id),
    });
    this.runner.wake();
    return job;
  }

  async job(caller: Principal | null, id: string): Promise<ImportJobRecord | null> {
    requireRole(caller, "MANAGER");
    return this.byId(id);
  }

  /** A job by id, for references and the live layer's reads (the field's policy has admitted the caller). */
  byId(id: string): Promise<ImportJobRecord | null> {
    return z.uuid().safeParse(id).success ? store.findImportJob(this.db.client, id) : Promise.resolve(null);
  }

  async jobs(caller: Principal | null, args: PageArgs): Promise<Connection<ImportJobRecord>> {
    requireRole(caller, "MANAGER");
    const page = readPage(args);
    const { rows, totalCount } = await store.pageImportJobs(this.db.client, page);
    return toConnection(rows, page, (job) => [job.createdAt.toISOString(), job.id], totalCount);
  }

  errors(jobId: string, first: number, offset: number): Promise<ImportRowErrorRecord[]> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_ERRORS_PAGE)
      throw badInput("first", `first must be an integer between 0 and ${MAX_ERRORS_PAGE}`);
    if (!Number.isInteger(offset) || offset < 0) throw badInput("offset", "offset must be an integer of 0 or more");
    return store.importErrors(this.db.client, jobId, first, offset);
  }
}
