import { describe, expect, it } from "vitest";
import { CallerRateLimiter } from "./rate-limits.ts";

describe("CallerRateLimiter", () => {
  it("lets a principal make its limit's requests in a minute, then says how long to wait", async () => {
    const limiter = new CallerRateLimiter({ perPrincipalPerMinute: 3, perAddressPerMinute: 0 });
    for (let i = 0; i < 3; i++) expect(await limiter.take({ principal: "a" })).toBeNull();
    const wait = await limiter.take({ principal: "a" });
    expect(wait).toBeGreaterThanOrEqual(59);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await limiter.take({ principal: "b" })).toBeNull();
  });

  it("counts addresses apart from principals, and a limit of 0 is no limit", async () => {
    const limiter = new CallerRateLimiter({ perPrincipalPerMinute: 0, perAddressPerMinute: 1 });
    expect(await limiter.take({ address: "10.0.0.1" })).toBeNull();
    expect(await limiter.take({ address: "10.0.0.1" })).toBeGreaterThan(0);
    expect(await limiter.take({ address: "10.0.0.2" })).toBeNull();
    for (let i = 0; i < 100; i++) expect(await limiter.take({ principal: "10.0.0.1" })).toBeNull();
  });
});
