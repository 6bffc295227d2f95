import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { maskError } from "./mask-error.ts";

const mask = (error: unknown) => maskError!(error, "Unexpected error.", false);

describe("gateway error masking", () => {
  it("passes a subgraph's error on with its code and message, without the subgraph's name", () => {
    const fromSubgraph = new GraphQLError("lot L-1 is on hold", {
      path: ["consumeLot"],
      extensions: { code: "LOT_UNAVAILABLE", status: "ON_HOLD", serviceName: "inventory" },
    });
    const masked = mask(fromSubgraph) as GraphQLError;
    expect(masked.message).toBe("lot L-1 is on hold");
    expect(masked.extensions).toEqual({ code: "LOT_UNAVAILABLE", status: "ON_HOLD" });
    expect(masked.path).toEqual(["consumeLot"]);
  });

  it("gives the gateway's own 401 errors the UNAUTHENTICATED code", () => {
    const masked = mask(new GraphQLError("Unauthenticated", { extensions: { http: { status: 401 } } })) as GraphQLError;
    expect(masked.extensions.code).toBe("UNAUTHENTICATED");
  });

  it("hides anything unexpected", () => {
    const masked = mask(new Error("connect ECONNREFUSED 10.0.0.7:5432")) as GraphQLError;
    expect(masked.message).toBe("Unexpected error.");
    expect(JSON.stringify(masked)).not.toContain("ECONNREFUSED");
  });
});
