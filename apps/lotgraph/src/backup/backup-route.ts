import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import {
  bearerToken,
  databaseTarget,
  openSchemaPGlite,
  SHARED_ENGINE_DIRECTORY,
  type Logger,
  type LotgraphEnv,
  type Principal,
  type TokenService,
} from "@lotgraph/kit";
import { BACKED_UP_SUBGRAPHS } from "./backup-format.ts";
import { schemasOf, takeEmbeddedSnapshot } from "./embedded-snapshot.ts";

/** Where a running embedded process serves its snapshot, on the gateway's port. */
export const BACKUP_ROUTE = "/admin/backup";

/**
 * Who may take the snapshot: `npm run backup` itself, with a token it signs with the installation's
 * secret. Identity never issues an internal principal, so no person's token, not even an ADMIN's,
 * reads the password hashes and the signing key a backup holds over the network: only an account
 * that can read the data directory (and so copy it anyway) can.
 */
export const BACKUP_PRINCIPAL: Principal = Object.freeze({
  id: "service:backup",
  name: "backup",
  kind: "internal",
  roles: Object.freeze(["ADMIN"]) as Principal["roles"],
});

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The all-in-one process's backup route: in embedded mode only, where nothing but this process may
 * open the data directory while it runs (a directory of the layout before decision 0015, one
 * engine per subgraph, is not served). Services mode is read from PostgreSQL by the command.
 */
export function embeddedBackupRoutes(
  env: LotgraphEnv,
  options: { schemaPrefix: string; tokens: TokenService },
  logger: Logger,
): Record<string, Route> {
  const target = databaseTarget(env, "identity", options.schemaPrefix);
  if (target.kind !== "pglite" || !target.schema) return {};
  return { [BACKUP_ROUTE]: backupRoute({ dataDir: env.LOTGRAPH_DATA_DIR, ...options }, logger) };
}

/**
 * `POST /admin/backup`: the embedded database as one consistent snapshot, as newline-delimited
 * JSON chunks ({@link SnapshotChunk}) ending with `{"type":"end"}`, for `npm run backup` to write.
 * Only for {@link BACKUP_PRINCIPAL}, the command's own token; anything else, a person's ADMIN
 * token included, gets 401 or 403 and reads nothing. A snapshot is taken inside this process
 * because only this process may open the data directory while it runs.
 */
export function backupRoute(
  options: { dataDir: string; schemaPrefix: string; tokens: TokenService },
  logger: Logger,
): Route {
  return (req, res) => {
    void serveBackup(req, res, options).catch((error: unknown) => {
      logger.error({ err: error }, "the backup snapshot failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`${JSON.stringify({ type: "error", message: "the snapshot failed; see the server log" })}\n`);
    });
  };
}

async function serveBackup(
  req: IncomingMessage,
  res: ServerResponse,
  options: { dataDir: string; schemaPrefix: string; tokens: TokenService },
): Promise<void> {
  req.resume();
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "POST", "content-type": "text/plain; charset=utf-8" });
    return void res.end("POST only\n");
  }
  const token = bearerToken(req.headers.authorization);
  const principal = token ? await options.tokens.verify(token) : null;
  if (!principal) {
    res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "text/plain; charset=utf-8" });
    return void res.end("UNAUTHENTICATED: a bearer token is required\n");
  }
  if (principal.kind !== BACKUP_PRINCIPAL.kind || principal.id !== BACKUP_PRINCIPAL.id) {
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
    return void res.end("FORBIDDEN: backups are taken with `npm run backup` on the machine Lotgraph runs on\n");
  }
  // A share of the engine every subgraph of this process already holds (registry by directory).
  const schemas = schemasOf(BACKED_UP_SUBGRAPHS, options.schemaPrefix);
  const connection = await openSchemaPGlite(join(options.dataDir, SHARED_ENGINE_DIRECTORY), schemas[0]!.schema);
  let chunks;
  try {
    chunks = await takeEmbeddedSnapshot(connection, schemas);
  } finally {
    await connection.close();
  }
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
  for (const chunk of [...chunks, { type: "end" }]) {
    if (!res.write(`${JSON.stringify(chunk)}\n`)) await new Promise((resolve) => res.once("drain", resolve));
  }
  res.end();
}
