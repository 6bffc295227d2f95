import type { SubgraphName } from "@lotgraph/kit";

/**
 * The on-disk format of a Lotgraph backup (docs/decisions/0026): one directory holding
 * `manifest.json`, `SHA256SUMS` (the `sha256sum -c` format, over every other file) and one
 * newline-delimited JSON file per table, `<subgraph>/<table>.ndjson`, each line one row as
 * PostgreSQL's `to_json` wrote it. The same format serves both modes; the manifest says which.
 */
export const BACKUP_FORMAT = "lotgraph-backup";
/** Raised when the format changes in a way an older restore could not read. */
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";
export const CHECKSUMS_FILE = "SHA256SUMS";

/** Every subgraph's schema is copied, in this order (identity first, as the system starts). */
export const BACKED_UP_SUBGRAPHS: readonly SubgraphName[] = [
  "identity",
  "inventory",
  "production",
  "quality",
  "traceability",
];

export type BackupMode = "embedded" | "services";

export interface AppliedMigration {
  id: string;
  checksum: string;
}

export interface TableFile {
  table: string;
  /** Relative to the backup directory. */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface SequenceValue {
  name: string;
  /** Text: a bigint. */
  lastValue: string;
  isCalled: boolean;
}

export interface SubgraphBackup {
  /** The schema it was read from (`<prefix>_<subgraph>`); a restore may put it elsewhere. */
  schema: string;
  migrations: AppliedMigration[];
  tables: TableFile[];
  sequences: SequenceValue[];
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  lotgraphVersion: string;
  mode: BackupMode;
  createdAt: string;
  subgraphs: Record<SubgraphName, SubgraphBackup>;
}

/**
 * A backup or restore that must not go on, for a reason the operator can act on: the message is
 * one line and is all the command prints before it exits with status 1.
 */
export class BackupRefused extends Error {
  override readonly name = "BackupRefused";
}

/** What a snapshot reader hands a writer, in this order per subgraph: subgraph, then each table's rows. */
export type SnapshotChunk =
  | {
      type: "subgraph";
      subgraph: SubgraphName;
      schema: string;
      migrations: AppliedMigration[];
      sequences: SequenceValue[];
    }
  | { type: "table"; subgraph: SubgraphName; table: string }
  /** Each row is the JSON text PostgreSQL produced, never parsed here: numerics keep every digit. */
  | { type: "rows"; subgraph: SubgraphName; table: string; rows: string[] };

/** A line of progress for long work; the commands print these on stderr. */
export type Progress = (line: string) => void;
