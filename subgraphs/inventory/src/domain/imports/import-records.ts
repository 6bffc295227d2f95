import type { ImportFormat, ImportKind } from "./import-format.ts";

export type ImportMode = "ALL_OR_NOTHING" | "VALID_ROWS";
export type ImportStatus = "QUEUED" | "VALIDATING" | "RUNNING" | "SUCCEEDED" | "FAILED";

/** An import job as the API shows it (without its content and lease). */
export interface ImportJobRecord {
  id: string;
  kind: ImportKind;
  format: ImportFormat;
  mode: ImportMode;
  dryRun: boolean;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  presentRows: number;
  failedRows: number;
  errorCount: number;
  failure: string | null;
  createdById: string;
  createdByName: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ImportRowErrorRecord {
  row: number;
  column: string | null;
  code: string;
  message: string;
}
