import { describe, expect, it } from "vitest";
import { routeOf } from "./serve.ts";

describe("routeOf", () => {
  const routes = { "/exports/audit.csv": "audit", "/exports/recall-cases/*": "recall", "/exports/*": "any" };

  it("takes an exact path first, else the longest prefix key", () => {
    expect(routeOf(routes, "/exports/audit.csv")).toBe("audit");
    expect(routeOf(routes, "/exports/recall-cases/0c1/report.pdf")).toBe("recall");
    expect(routeOf(routes, "/exports/other.csv")).toBe("any");
    expect(routeOf(routes, "/graphql")).toBeUndefined();
  });

  it("needs something after a prefix", () => {
    expect(routeOf({ "/exports/recall-cases/*": "recall" }, "/exports/recall-cases/")).toBeUndefined();
    expect(routeOf({ "/exports/recall-cases/*": "recall" }, "/exports/recall-cases")).toBeUndefined();
  });

  it("matches no prefix for a path that a URL parser would resolve elsewhere", () => {
    for (const path of [
      "/exports/recall-cases/../../graphql",
      "/exports/recall-cases/x/..",
      "/exports/recall-cases/%2e%2e/%2E%2E/graphql",
      "/exports/recall-cases/x%2Fy",
      "/exports/recall-cases/x\\..\\graphql",
      "/exports/recall-cases/./x",
    ])
      expect(routeOf(routes, path), path).toBeUndefined();
  });
});
