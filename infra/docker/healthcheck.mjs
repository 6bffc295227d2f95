#!/usr/bin/env node
// Container health probe for Lotgraph servers (no curl/wget in node:*-slim images).
// Usage: node /opt/lotgraph/healthcheck.mjs [/healthz|/readyz]
// Exits 0 when GET http://127.0.0.1:$PORT<path> answers 2xx within 4 s, 1 otherwise.
const path = process.argv[2] ?? "/healthz";
const port = process.env.PORT ?? "4000";
try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(4000),
  });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
