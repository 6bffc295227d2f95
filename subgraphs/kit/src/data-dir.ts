import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The data directory, created readable by its owner only (0700), and made so if it was not: it
 * holds the embedded databases, the JWT secret and the first admin's password.
 */
export async function privateDataDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

/**
 * Writes a generated first admin password to `<data dir>/first-admin-password`, readable by its
 * owner only, and returns the file's path: a console or a log collector is no place for it.
 */
export async function keepFirstAdminPassword(dataDir: string, password: string): Promise<string> {
  const file = join(await privateDataDir(dataDir), "first-admin-password");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
