import { createHash, type Hash } from "node:crypto";
import { chmod, mkdir, open, readdir, rename, stat, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { SubgraphName } from "@lotgraph/kit";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupRefused,
  CHECKSUMS_FILE,
  MANIFEST_FILE,
  type BackupManifest,
  type BackupMode,
  type Progress,
  type SnapshotChunk,
  type SubgraphBackup,
  type TableFile,
} from "./backup-format.ts";
import { lotgraphVersion } from "./lotgraph-version.ts";

interface OpenTable {
  entry: TableFile;
  file: FileHandle;
  hash: Hash;
}

/**
 * Writes a snapshot's chunks into `dir` (new, or empty) and returns the manifest. The manifest
 * and SHA256SUMS are written last, each renamed into place whole: a backup cut short has no
 * manifest, and a restore refuses it.
 */
export async function writeBackup(
  dir: string,
  mode: BackupMode,
  chunks: AsyncIterable<SnapshotChunk>,
  progress: Progress,
): Promise<BackupManifest> {
  // Owner only, like the data directory: a backup holds password hashes and the signing key.
  const existing = await stat(dir).catch(() => null);
  if (existing && !existing.isDirectory()) throw new BackupRefused(`backup refused: ${dir} is a file, not a directory`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  if ((await readdir(dir)).length > 0) throw new BackupRefused(`backup refused: ${dir} is not empty`);
  const subgraphs = {} as Record<SubgraphName, SubgraphBackup>;
  let current: OpenTable | null = null;
  const finish = async () => {
    if (!current) return;
    await current.file.close();
    current.entry.sha256 = current.hash.digest("hex");
    progress(`  ${current.entry.path}: ${current.entry.rows} rows`);
    current = null;
  };
  for await (const chunk of chunks) {
    if (chunk.type === "subgraph") {
      await finish();
      await mkdir(join(dir, chunk.subgraph), { mode: 0o700 });
      subgraphs[chunk.subgraph] = {
        schema: chunk.schema,
        migrations: chunk.migrations,
        tables: [],
        sequences: chunk.sequences,
      };
      progress(`backup: ${chunk.subgraph} (schema ${chunk.schema}, ${chunk.migrations.length} migrations)`);
    } else if (chunk.type === "table") {
      await finish();
      const entry: TableFile = {
        table: chunk.table,
        path: `${chunk.subgraph}/${chunk.table}.ndjson`,
        rows: 0,
        bytes: 0,
        sha256: "",
      };
      subgraphs[chunk.subgraph]!.tables.push(entry);
      current = { entry, file: await open(join(dir, entry.path), "wx", 0o600), hash: createHash("sha256") };
    } else {
      if (!current) throw new Error(`rows of ${chunk.table} arrived before its table`);
      const text = Buffer.from(chunk.rows.map((row) => `${row}\n`).join(""), "utf8");
      await current.file.write(text);
      current.hash.update(text);
      current.entry.rows += chunk.rows.length;
      current.entry.bytes += text.length;
    }
  }
  await finish();
  return seal(dir, mode, subgraphs);
}

/**
 * The manifest, then SHA256SUMS over every table file and the manifest (`sha256sum -c SHA256SUMS`
 * checks a copy by hand): written last, each renamed into place whole.
 */
async function seal(
  dir: string,
  mode: BackupMode,
  subgraphs: Record<SubgraphName, SubgraphBackup>,
): Promise<BackupManifest> {
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    lotgraphVersion: lotgraphVersion(),
    mode,
    createdAt: new Date().toISOString(),
    subgraphs,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const sums = [
    ...Object.values(subgraphs).flatMap((s) => s.tables.map((t) => `${t.sha256}  ${t.path}`)),
    `${sha256(manifestText)}  ${MANIFEST_FILE}`,
  ];
  await writeWhole(join(dir, CHECKSUMS_FILE), `${sums.join("\n")}\n`);
  await writeWhole(join(dir, MANIFEST_FILE), manifestText);
  return manifest;
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

async function writeWhole(path: string, text: string): Promise<void> {
  await writeFile(`${path}.partial`, text, { flag: "wx", mode: 0o600 });
  await rename(`${path}.partial`, path);
}
