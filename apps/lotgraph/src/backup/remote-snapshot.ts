import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { TokenService } from "@lotgraph/kit";
import { BackupRefused, type SnapshotChunk } from "./backup-format.ts";
import { BACKUP_PRINCIPAL, BACKUP_ROUTE } from "./backup-route.ts";
import type { RunningMarker } from "./running-marker.ts";

/**
 * The snapshot of a running embedded process, asked of its gateway ({@link BACKUP_ROUTE}) with a
 * five-minute token of {@link BACKUP_PRINCIPAL} the command signs with the installation's own secret (readable only by
 * the account that owns the data directory, which is the account allowed to copy it anyway).
 * A stream that stops before its `end` line is an error, never a short backup.
 */
export async function* remoteSnapshot(marker: RunningMarker, jwtSecret: string): AsyncGenerator<SnapshotChunk> {
  const token = await new TokenService(jwtSecret).sign(BACKUP_PRINCIPAL, 300);
  const response = await fetch(new URL(BACKUP_ROUTE, marker.gatewayUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  }).catch((error: unknown) => {
    throw new BackupRefused(
      `backup refused: Lotgraph runs (pid ${marker.pid}) but its gateway ${marker.gatewayUrl} does not answer (${String(error)})`,
    );
  });
  if (!response.ok || !response.body) {
    throw new BackupRefused(
      `backup refused: the running Lotgraph answered ${response.status}: ${(await response.text()).trim()}`,
    );
  }
  const lines = createInterface({ input: Readable.fromWeb(response.body as WebReadableStream), crlfDelay: Infinity });
  let ended = false;
  for await (const line of lines) {
    const chunk = JSON.parse(line) as SnapshotChunk | { type: "end" } | { type: "error"; message: string };
    if (chunk.type === "end") ended = true;
    else if (chunk.type === "error") throw new Error(`the running Lotgraph failed the snapshot: ${chunk.message}`);
    else yield chunk;
  }
  if (!ended) throw new Error("the running Lotgraph's snapshot stream ended early");
}
