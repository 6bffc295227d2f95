import type { IncomingMessage, ServerResponse } from "node:http";
import {
  DomainError,
  GATEWAY_PROOF_HEADER,
  bearerToken,
  isTrustedCaller,
  type Logger,
  type Principal,
  type TokenService,
} from "@lotgraph/kit";
import type { EvidenceBundles } from "./domain/evidence/evidence-service.ts";
import { STATUS as EXPORT_STATUS, header, text } from "./export-routes.ts";

/** `GET /exports/evidence/{recallCaseId}.zip`: a route for every path under it (serve's prefix routes). */
export const EVIDENCE_PATH_PREFIX = "/exports/evidence/*";
/** `GET /exports/signing-key`: the public key evidence bundles are signed with. */
export const SIGNING_KEY_PATH = "/exports/signing-key";

interface Deps {
  evidence: EvidenceBundles;
  tokens: TokenService;
  logger: Logger;
}

/** A downloaded answer: its bytes and how to describe them. */
interface Download {
  contentType: string;
  body: Uint8Array | string;
  filename?: string;
}

type Produce = (principal: Principal | null, path: string) => Promise<Download>;

/** Both routes, keyed as the subgraph's `routes` table takes them (kit's serve). */
export function evidenceRoutes(evidence: EvidenceBundles, deps: Pick<Deps, "tokens" | "logger">) {
  return {
    [EVIDENCE_PATH_PREFIX]: evidenceRoute({ ...deps, evidence }),
    [SIGNING_KEY_PATH]: signingKeyRoute({ ...deps, evidence }),
  };
}

/**
 * The evidence bundle of a recall case (docs/evidence-bundle.md), AUDITOR or MANAGER: a zip made
 * whole before the first byte is sent, so a refusal or a failure is a proper status, never a cut
 * download.
 */
export function evidenceRoute(deps: Deps) {
  return downloadRoute("evidence", deps, async (principal, path) => {
    // A case id is a UUID: nothing in it needs decoding. Any other path names no case, which the
    // service says (after the caller's role, so that a refusal never depends on the path).
    const id = /^\/exports\/evidence\/([0-9A-Za-z-]+)\.zip$/.exec(path)?.[1] ?? path;
    const bundle = await deps.evidence.bundle(principal, id);
    return { contentType: "application/zip", body: bundle.zip, filename: bundle.filename };
  });
}

/** The install's signing key as JSON (algorithm, fingerprint, PEM), for anyone signed in. */
export function signingKeyRoute(deps: Deps) {
  return downloadRoute("signing key", deps, async (principal) => ({
    contentType: "application/json; charset=utf-8",
    body: `${JSON.stringify(await deps.evidence.signingKey(principal), null, 2)}\n`,
  }));
}

/**
 * A GET route behind the same checks as the CSV exports (export-routes.ts): only through the
 * gateway (its proof), the caller's own token verified here, domain failures as their status.
 */
function downloadRoute(name: string, deps: Deps, produce: Produce) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      try {
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.setHeader("allow", "GET, HEAD");
          return text(res, 405, "method not allowed: use GET");
        }
        const proof = header(req, GATEWAY_PROOF_HEADER);
        const viaGateway = new Headers(proof ? { [GATEWAY_PROOF_HEADER]: proof } : {});
        if (!(await isTrustedCaller(deps.tokens, viaGateway)))
          return text(res, 401, "UNAUTHENTICATED: download exports through the Lotgraph gateway");
        const token = bearerToken(header(req, "authorization"));
        const principal = token ? await deps.tokens.verify(token) : null;
        const path = new URL(req.url ?? "/", "http://localhost").pathname;
        const download = await produce(principal, path);
        res.writeHead(200, {
          "content-type": download.contentType,
          "content-length": String(Buffer.byteLength(download.body)),
          ...(download.filename ? { "content-disposition": `attachment; filename="${download.filename}"` } : {}),
          "cache-control": "private, no-store",
        });
        res.end(req.method === "HEAD" ? undefined : download.body);
      } catch (error) {
        const status = error instanceof DomainError ? EXPORT_STATUS[error.code] : undefined;
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
