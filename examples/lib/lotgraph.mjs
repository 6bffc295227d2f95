// A tiny Lotgraph GraphQL client for ERP integrations: Node 20 built-ins only (fetch, node:crypto).
//
//   import { lotgraphFromEnv } from "./lib/lotgraph.mjs";
//   const lotgraph = lotgraphFromEnv();              // LOTGRAPH_URL, LOTGRAPH_TOKEN
//   const data = await lotgraph.request(`query ($sku: String!) { material(sku: $sku) { id } }`, { sku });
//
// What it does for you:
// - sends the service account's token as `Authorization: Bearer <token>`;
// - turns a GraphQL error into a thrown LotgraphError carrying `code` (extensions.code), `field`
//   and `requestId` (quote it to the Lotgraph administrator);
// - retries RATE_LIMITED (429) and SERVICE_UNAVAILABLE (503) and network failures with backoff,
//   waiting at least what Retry-After says. A retried mutation must carry an idempotencyKey
//   (see idempotencyKey below): then it happens once however often it is sent.
//
// Env: LOTGRAPH_URL (e.g. http://localhost:4000/graphql), LOTGRAPH_TOKEN (a service account token).

import { createHash } from "node:crypto";

/** An error Lotgraph answered: `code` is its extensions.code (BAD_USER_INPUT, CONFLICT, …). */
export class LotgraphError extends Error {
  constructor(error, status) {
    super(`${error.extensions?.code ?? "ERROR"}: ${error.message}`);
    this.name = "LotgraphError";
    this.code = error.extensions?.code ?? null;
    // Which input field is wrong: `field` for one, `fields` ([{field, message}]) when input
    // validation found several problems at once.
    this.field = error.extensions?.field ?? error.extensions?.fields?.map((entry) => entry.field).join(", ") ?? null;
    this.requestId = error.extensions?.requestId ?? null;
    this.status = status;
    this.errors = [error];
  }
}

/** Codes worth sending again, after a pause: nothing was wrong with the request itself. */
const RETRYABLE = new Set(["RATE_LIMITED", "SERVICE_UNAVAILABLE"]);

export class Lotgraph {
  /**
   * @param {string} url  the gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql
   * @param {string} token  a service account token
   * @param {{maxAttempts?: number, baseDelayMs?: number}} [options]
   */
  constructor(url, token, { maxAttempts = 6, baseDelayMs = 500 } = {}) {
    this.url = url;
    this.token = token;
    this.maxAttempts = maxAttempts;
    this.baseDelayMs = baseDelayMs;
  }

  /** Runs one operation and returns its `data`; throws LotgraphError on any error. */
  async request(query, variables = {}) {
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let retryAfterSeconds = 0;
      try {
        const response = await fetch(this.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/graphql-response+json, application/json",
            authorization: `Bearer ${this.token}`,
          },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        retryAfterSeconds = Number(response.headers.get("retry-after")) || 0;
        const body = await response.json();
        if (!body.errors?.length) return body.data;
        const error = new LotgraphError(body.errors[0], status);
        error.errors = body.errors;
        if (!RETRYABLE.has(error.code) || attempt >= this.maxAttempts) throw error;
      } catch (error) {
        // A refusal from Lotgraph that is not worth repeating goes straight to the caller. A
        // network failure or timeout is retried: the request may or may not have arrived, which is
        // exactly what an idempotencyKey on a mutation makes harmless.
        if (error instanceof LotgraphError) throw error;
        if (attempt >= this.maxAttempts) throw error;
      }
      const backoff = this.baseDelayMs * 2 ** (attempt - 1);
      const wait = Math.max(backoff, retryAfterSeconds * 1000) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Reads every page of a connection: `select(data)` returns the connection ({edges, pageInfo}). */
  async *paginate(query, variables, select) {
    let after = variables.after ?? null;
    for (;;) {
      const connection = select(await this.request(query, { ...variables, after }));
      for (const edge of connection.edges) yield edge.node;
      if (!connection.pageInfo.hasNextPage) return;
      after = connection.pageInfo.endCursor;
    }
  }
}

/** A client from LOTGRAPH_URL and LOTGRAPH_TOKEN; exits with a message when either is missing. */
export function lotgraphFromEnv() {
  return new Lotgraph(requireEnv("LOTGRAPH_URL"), requireEnv("LOTGRAPH_TOKEN"));
}

/** The value of an environment variable the script cannot run without. */
export function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set (see the comment at the top of the script)`);
    process.exit(1);
  }
  return value;
}

/**
 * An idempotency key made from the ERP's own document ids, e.g. idempotencyKey("GR", "4500012345",
 * 10) → "GR-4500012345-10". The same document line always gives the same key, so running the
 * interface again after a crash, a timeout or an operator's "send again" books it once. Parts that
 * would make the key too long are replaced by their hash.
 */
export function idempotencyKey(...parts) {
  const key = parts.map(String).join("-");
  if (key.length <= 200) return key;
  return `${parts[0]}-sha256-${createHash("sha256").update(key).digest("hex")}`;
}

/** Sums decimal strings ("12.5", "-3") exactly: quantities are Decimal, never floats. */
export function addDecimals(...values) {
  const scale = Math.max(0, ...values.map((value) => (String(value).split(".")[1] ?? "").length));
  const scaled = (value) => {
    const [whole, fraction = ""] = String(value).replace("-", "").split(".");
    const units = BigInt(whole + fraction.padEnd(scale, "0"));
    return String(value).startsWith("-") ? -units : units;
  };
  const total = values.reduce((sum, value) => sum + scaled(value), 0n);
  const sign = total < 0n ? "-" : "";
  const digits = (total < 0n ? -total : total).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}
