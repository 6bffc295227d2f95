import type { IncomingMessage, ServerResponse } from "node:http";
import {
  DomainError,
  GATEWAY_PROOF_HEADER,
  bearerToken,
  isTrustedCaller,
  type ErrorCode,
  type Logger,
  type Principal,
  type TokenService,
} from "@lotgraph/kit";
import type { AuditEntryView, AuditTrailFilter, AuditTrailService } from "./domain/audit/audit-trail.ts";
import { CRLF, UTF8_BOM, csvField } from "./domain/exports/csv.ts";
import type { TraceExports } from "./domain/exports/export-service.ts";

export const FSMA204_PATH = "/exports/fsma204.csv";
export const AUDIT_CSV_PATH = "/exports/audit.csv";

/** HTTP status of each domain failure an export can end in; anything else is a 500. */
export const STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

const CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present";

/** A file to download: its name, its type (CSV unless given) and its content, whole or in pieces. */
export interface DownloadFile {
  filename: string;
  contentType?: string;
  body: string | Uint8Array | AsyncIterable<string>;
}

/** Makes the file for a caller from the request's query and path (the path names a case, say). */
export type Produce = (principal: Principal | null, query: URLSearchParams, path: string) => Promise<DownloadFile>;

/**
 * An export over plain HTTP, not GraphQL, so a spreadsheet program or `curl -O` can fetch it;
 * the gateway forwards it here with the caller's token, which this route verifies itself (the
 * gateway does not). Role rules are the domain's. Errors before the first byte are plain-text
 * answers with their HTTP status; a failure mid-stream cuts the connection.
 */
export function downloadRoute(name: string, deps: { tokens: TokenService; logger: Logger }, produce: Produce) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      try {
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.setHeader("allow", "GET, HEAD");
          return text(res, 405, "method not allowed: use GET");
        }
        // Like its GraphQL endpoint, this service answers only the gateway and Lotgraph services.
        const proof = header(req, GATEWAY_PROOF_HEADER);
        const viaGateway = new Headers(proof ? { [GATEWAY_PROOF_HEADER]: proof } : {});
        if (!(await isTrustedCaller(deps.tokens, viaGateway)))
          return text(res, 401, "UNAUTHENTICATED: download exports through the Lotgraph gateway");
        const url = new URL(req.url ?? "/", "http://localhost");
        // `?supplierLotCode=A&supplierLotCode=B` would export A alone without a word.
        const repeated = [...new Set(url.searchParams.keys())].find((key) => url.searchParams.getAll(key).length > 1);
        if (repeated !== undefined)
          return text(res, 400, `BAD_USER_INPUT: invalid query: ${repeated}: given more than once`);
        const token = bearerToken(header(req, "authorization"));
        const principal = token ? await deps.tokens.verify(token) : null;
        const file = await produce(principal, url.searchParams, url.pathname);
        res.writeHead(200, {
          "content-type": file.contentType ?? CSV_CONTENT_TYPE,
          "content-disposition": `attachment; filename="${file.filename}"`,
          // Confidential and changing with every event: never from a shared cache.
          "cache-control": "private, no-store",
        });
        if (req.method === "HEAD") return void res.end();
        if (typeof file.body === "string" || file.body instanceof Uint8Array) return void res.end(file.body);
        for await (const chunk of file.body) {
          if (res.destroyed) return;
          if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
        }
        res.end();
      } catch (error) {
        const status = error instanceof DomainError ? STATUS[error.code] : undefined;
        if (error instanceof DomainError && status !== undefined && !res.headersSent) {
          if (status === 401) res.setHeader("www-authenticate", "Bearer");
          return text(res, status, `${error.code}: ${error.message}`);
        }
        deps.logger.error({ err: error, requestId: header(req, "x-request-id") }, `${name} export failed`);
        if (!res.headersSent) text(res, 500, "internal error");
        else res.destroy();
      }
    })();
  };
}

/**
 * `GET /exports/fsma204.csv?lotId=…&direction=…`, `?supplierLotCode=…[&productId=…]` or
 * `?productId=…&from=…&to=…` (each narrowed by `from` and `to`): the FSMA 204 sortable spreadsheet
 * (AUDITOR or MANAGER, as `epcisDocument`); the parameters are the domain's to check
 * (`parseFsma204Query`). A lot's `direction` defaults to DOWNSTREAM: the spreadsheet is what the
 * FDA asks for in a recall, which follows a lot forward to everything made from it and everyone
 * who received it.
 */
export function fsma204Route(deps: { exports: TraceExports; tokens: TokenService; logger: Logger }) {
  return downloadRoute("FSMA 204", deps, async (principal, query) => {
    const names = ["lotId", "supplierLotCode", "productId", "direction", "from", "to"] as const;
    return deps.exports.fsma204Download(principal, Object.fromEntries(names.map((name) => [name, query.get(name)])));
  });
}

const AUDIT_COLUMNS = [
  "subgraph",
  "seq",
  "at",
  "actor_id",
  "actor_name",
  "action",
  "entity_type",
  "entity_id",
  "summary",
  "reason",
  "before",
  "after",
  "prev_hash",
  "hash",
];

/**
 * `GET /exports/audit.csv?subgraph=…&entityType=…&entityId=…&actorId=…&from=…&to=…`: the audit
 * trail as `auditTrail` filters it (AUDITOR or ADMIN), newest first, streamed page by page so a
 * whole year's log never sits in memory; before and after as JSON text.
 */
export function auditCsvRoute(deps: { audit: AuditTrailService; tokens: TokenService; logger: Logger }) {
  return downloadRoute("audit", deps, async (principal, query) => {
    const filter: AuditTrailFilter = {
      subgraph: query.get("subgraph"),
      entityType: query.get("entityType"),
      entityId: query.get("entityId"),
      actorId: query.get("actorId"),
      from: instant(query, "from"),
      to: instant(query, "to"),
    };
    // The first page is read before the answer starts, so a refusal is a proper 4xx.
    const entries = deps.audit.entries(principal, filter);
    const first = await entries.next();
    async function* rows(): AsyncGenerator<string> {
      yield UTF8_BOM + row(AUDIT_COLUMNS);
      if (first.done) return;
      yield row(auditRow(first.value));
      for await (const entry of entries) yield row(auditRow(entry));
    }
    return { filename: `audit-trail-${new Date().toISOString().slice(0, 10)}.csv`, body: rows() };
  });
}

function auditRow(entry: AuditEntryView): string[] {
  return [
    entry.subgraph,
    String(entry.seq),
    entry.at.toISOString(),
    entry.actorId,
    entry.actorName,
    entry.action,
    entry.entityType,
    entry.entityId,
    entry.summary,
    entry.reason ?? "",
    entry.before === null || entry.before === undefined ? "" : JSON.stringify(entry.before),
    entry.after === null || entry.after === undefined ? "" : JSON.stringify(entry.after),
    entry.prevHash,
    entry.hash,
  ];
}

const row = (fields: readonly string[]) => fields.map(csvField).join(",") + CRLF;

function instant(query: URLSearchParams, name: string): Date | null {
  const value = query.get(name);
  if (!value) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new DomainError("BAD_USER_INPUT", `${name} is not an ISO 8601 date-time`);
  return at;
}

export function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(`${body}\n`);
}
