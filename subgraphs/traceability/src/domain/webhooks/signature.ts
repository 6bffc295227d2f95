import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The header every delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = "lotgraph-signature";
/** How far a receiver should accept a signature's time from its own clock (docs/integrators.md). */
export const REPLAY_WINDOW_SECONDS = 300;

/** A new signing secret: 32 random bytes, with a prefix that says what it is when it leaks into a log. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * The signature header of one delivery attempt. The time is signed with the body, so a receiver
 * that refuses times outside its replay window cannot be fed an old delivery again.
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * What a receiver does (docs/integrators.md shows the same in a few lines): recompute the HMAC of
 * "<t>.<body>", compare in constant time, and refuse a time outside the window.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  now: Date = new Date(),
  windowSeconds = REPLAY_WINDOW_SECONDS,
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > windowSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}
