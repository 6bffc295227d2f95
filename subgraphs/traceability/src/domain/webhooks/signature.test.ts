import { describe, expect, it } from "vitest";
import { newWebhookSecret, signatureHeader, verifySignature } from "./signature.ts";

describe("webhook signatures", () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ id: "e1", subject: "lotgraph.inventory.lot.received" });
  const at = new Date("2026-12-05T10:00:00Z");

  it("signs time and body together, and verifies within the replay window", () => {
    const header = signatureHeader(secret, body, at);
    expect(header).toMatch(/^t=1796464800,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, body, header, new Date(at.getTime() + 299_000))).toBe(true);
  });

  it("refuses another body, another secret, an old or future time, and a malformed header", () => {
    const header = signatureHeader(secret, body, at);
    expect(verifySignature(secret, body.replace("e1", "e2"), header, at)).toBe(false);
    expect(verifySignature(newWebhookSecret(), body, header, at)).toBe(false);
    expect(verifySignature(secret, body, header, new Date(at.getTime() + 301_000))).toBe(false);
    expect(verifySignature(secret, body, header, new Date(at.getTime() - 301_000))).toBe(false);
    expect(verifySignature(secret, body, header.replace(/t=\d+/, "t=1796464801"), at)).toBe(false);
    expect(verifySignature(secret, body, "v1=abc", at)).toBe(false);
    expect(verifySignature(secret, body, null, at)).toBe(false);
  });

  it("makes a different secret each time", () => {
    expect(newWebhookSecret()).not.toBe(newWebhookSecret());
    expect(newWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });
});
