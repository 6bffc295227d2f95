import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupRefused,
  CHECKSUMS_FILE,
  MANIFEST_FILE,
  type BackupManifest,
  type Progress,
} from "./backup-format.ts";
import { sha256 } from "./backup-writer.ts";

/**
 * Reads and checks a backup before anything is restored from it: the manifest is whole (its
 * checksum in SHA256SUMS), of a format this code reads, and every table file it lists is there
 * with its size and sha256. Any failure is a {@link BackupRefused} naming the first problem.
 */
export async function verifyBackup(dir: string, progress: Progress): Promise<BackupManifest> {
  const damaged = (what: string) => new BackupRefused(`restore refused: the backup in ${dir} is damaged: ${what}`);
  // A mistyped path is not a damaged backup: say so, not "manifest.json is missing".
  const found = await stat(dir).then(
    (entry) => entry.isDirectory(),
    () => false,
  );
  if (!found) throw new BackupRefused(`restore refused: there is no backup directory at ${dir}`);
  if ((await readdir(dir)).length === 0)
    throw new BackupRefused(`restore refused: ${dir} is empty: not a backup (npm run backup -- <dir> makes one)`);
  const manifestText = await readFile(join(dir, MANIFEST_FILE), "utf8").catch(() => {
    throw damaged(`${MANIFEST_FILE} is missing`);
  });
  const sums = await readFile(join(dir, CHECKSUMS_FILE), "utf8").catch(() => {
    throw damaged(`${CHECKSUMS_FILE} is missing`);
  });
  const listed = new Map(
    sums
      .split("\n")
      .filter(Boolean)
      .map((line) => [line.slice(66), line.slice(0, 64)] as const),
  );
  if (listed.get(MANIFEST_FILE) !== sha256(manifestText)) throw damaged(`${MANIFEST_FILE} does not match its checksum`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(manifestText) as BackupManifest;
  } catch {
    throw damaged(`${MANIFEST_FILE} is not JSON`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw damaged(`${MANIFEST_FILE} is not a Lotgraph backup manifest`);
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupRefused(
      `restore refused: the backup has format ${manifest.formatVersion}, this Lotgraph reads up to ${BACKUP_FORMAT_VERSION}; restore it with Lotgraph ${manifest.lotgraphVersion} or later`,
    );
  }
  for (const table of Object.values(manifest.subgraphs).flatMap((s) => s.tables)) {
    if (listed.get(table.path) !== table.sha256)
      throw damaged(`${table.path} is not listed in ${CHECKSUMS_FILE} as the manifest says`);
    const size = await stat(join(dir, table.path)).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) throw damaged(`${table.path} is missing`);
    if (size !== table.bytes)
      throw damaged(`${table.path} has ${size} bytes, the manifest says ${table.bytes} (truncated?)`);
    if ((await fileSha256(join(dir, table.path))) !== table.sha256)
      throw damaged(`${table.path} does not match its sha256`);
  }
  progress(
    `restore: backup of ${manifest.createdAt} (${manifest.mode} mode, Lotgraph ${manifest.lotgraphVersion}) verified`,
  );
  return manifest;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const data of createReadStream(path)) hash.update(data as Buffer);
  return hash.digest("hex");
}
