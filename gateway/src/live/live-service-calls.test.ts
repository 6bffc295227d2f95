import { TokenService } from "@lotgraph/kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LiveServiceCalls } from "./live-service-calls.ts";

const SECRET = "live-service-calls-test-secret-0123456789";

describe("LiveServiceCalls", () => {
  afterEach(() => vi.useRealTimers());

  it("signs one token per role set, holding exactly those roles, for the subgraphs to verify", async () => {
    const tokens = new TokenService(SECRET);
    const sign = vi.spyOn(tokens, "sign");
    const calls = new LiveServiceCalls(tokens);
    const first = await calls.callerFor(["OPERATOR", "AUDITOR"]);
    const again = await calls.callerFor(["AUDITOR", "OPERATOR"]);
    const other = await calls.callerFor(["VIEWER"]);
    expect(again.token).toBe(first.token);
    expect(other.token).not.toBe(first.token);
    expect(sign).toHaveBeenCalledTimes(2);
    const verified = await new TokenService(SECRET).session(first.token);
    expect(verified?.principal).toMatchObject({ kind: "service-account", roles: ["AUDITOR", "OPERATOR"] });
    expect(first.principal.roles).toEqual(["AUDITOR", "OPERATOR"]);
    const lifetime = verified!.expiresAt!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(290_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
  });

  it("signs a new token a minute before the last one expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const tokens = new TokenService(SECRET);
    const sign = vi.spyOn(tokens, "sign");
    const calls = new LiveServiceCalls(tokens);
    await calls.callerFor(["VIEWER"]);
    vi.setSystemTime(Date.now() + 239_000);
    await calls.callerFor(["VIEWER"]);
    expect(sign).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + 2_000);
    await calls.callerFor(["VIEWER"]);
    expect(sign).toHaveBeenCalledTimes(2);
  });

  it("does not keep a signature that failed", async () => {
    const tokens = new TokenService(SECRET);
    const sign = vi.spyOn(tokens, "sign").mockRejectedValueOnce(new Error("no key"));
    const calls = new LiveServiceCalls(tokens);
    await expect(calls.callerFor(["VIEWER"])).rejects.toThrow("no key");
    await expect(calls.callerFor(["VIEWER"])).resolves.toMatchObject({ principal: { roles: ["VIEWER"] } });
    expect(sign).toHaveBeenCalledTimes(2);
  });
});
