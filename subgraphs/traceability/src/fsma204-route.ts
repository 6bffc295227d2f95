import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError, bearerToken, type ErrorCode, type Logger, type TokenService } from "@lotgraph/kit";
import type { TraceExports } from "./domain/exports/export-service.ts";

export const FSMA204_PATH = "/exports/fsma204.csv";

/** HTTP status of each domain failure the export can end in; anything else is a 500. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
};

/**
 * `GET /exports/fsma204.csv?lotId=…&direction=…`: the FSMA 204 sortable spreadsheet of a trace.
 * Plain HTTP, not GraphQL, so a spreadsheet program or `curl -O` can fetch it; the gateway forwards
 * it here with the caller's token, which this route verifies itself (the gateway does not). The
 * role rule is the domain's (AUDITOR or MANAGER), the same as `epcisDocument`'s.
 *
 * `direction` defaults to DOWNSTREAM: the spreadsheet is what the FDA asks for in a recall, which
 * follows a lot forward to everything made from it and everyone who received it.
 */
export function fsma204Route(deps: { exports: TraceExports; tokens: TokenService; logger: Logger }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(deps, req, res);
  };
}

async function handle(
  deps: { exports: TraceExports; tokens: TokenService; logger: Logger },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = header(req, "x-request-id");
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return text(res, 405, "method not allowed: use GET");
    }
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    const direction = query.get("direction") ?? "DOWNSTREAM";
    if (direction !== "UPSTREAM" && direction !== "DOWNSTREAM")
      return text(res, 400, "direction must be UPSTREAM or DOWNSTREAM");
    const lotId = query.get("lotId");
    if (!lotId) return text(res, 400, "lotId is required");
    const token = bearerToken(header(req, "authorization"));
    const principal = token ? await deps.tokens.verify(token) : null;
    const file = await deps.exports.fsma204(principal, lotId, direction);
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${file.filename}"`,
      // A genealogy is confidential and changes with every event: never from a shared cache.
      "cache-control": "private, no-store",
    });
    res.end(req.method === "HEAD" ? undefined : file.csv);
  } catch (error) {
    const status = error instanceof DomainError ? STATUS[error.code] : undefined;
    if (error instanceof DomainError && status !== undefined) {
      if (status === 401) res.setHeader("www-authenticate", "Bearer");
      return text(res, status, `${error.code}: ${error.message}`);
    }
    deps.logger.error({ err: error, requestId }, "FSMA 204 export failed");
    if (!res.headersSent) text(res, 500, "internal error");
    else res.destroy();
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(`${body}\n`);
}
