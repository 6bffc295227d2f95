import { graphql, GraphQLError, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, Kind } from "graphql";
import { describe, expect, it } from "vitest";
import { DateTimeScalar, DecimalScalar } from "./scalars.ts";

/** The `extensions.code` of the GraphQLError `fn` throws. */
function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphQLError) return error.extensions.code;
    throw error;
  }
  throw new Error("expected a GraphQLError");
}

describe("Decimal", () => {
  it("accepts decimal strings and finite numbers, as strings", () => {
    expect(DecimalScalar.parseValue("12.5")).toBe("12.5");
    expect(DecimalScalar.parseValue("-0.000001")).toBe("-0.000001");
    expect(DecimalScalar.parseValue(" 7 ")).toBe("7");
    expect(DecimalScalar.parseValue(3)).toBe("3");
    expect(DecimalScalar.parseValue(2.25)).toBe("2.25");
  });

  it("rejects what is not a plain decimal number as BAD_USER_INPUT", () => {
    for (const value of [
      "abc",
      "1e5",
      "",
      "1.",
      ".5",
      "1,5",
      "0x10",
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e21,
      null,
      true,
    ]) {
      expect(
        codeOf(() => DecimalScalar.parseValue(value)),
        JSON.stringify(value),
      ).toBe("BAD_USER_INPUT");
    }
  });

  it("accepts string, int and float literals but rejects others", () => {
    expect(DecimalScalar.parseLiteral({ kind: Kind.STRING, value: "12.500" })).toBe("12.500");
    expect(DecimalScalar.parseLiteral({ kind: Kind.INT, value: "3" })).toBe("3");
    expect(DecimalScalar.parseLiteral({ kind: Kind.FLOAT, value: "0.25" })).toBe("0.25");
    expect(codeOf(() => DecimalScalar.parseLiteral({ kind: Kind.FLOAT, value: "1e5" }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => DecimalScalar.parseLiteral({ kind: Kind.BOOLEAN, value: true }))).toBe("BAD_USER_INPUT");
  });

  it("accepts what numeric(20, 6) holds and refuses what it would overflow or round", () => {
    expect(DecimalScalar.parseValue("99999999999999.999999")).toBe("99999999999999.999999");
    expect(DecimalScalar.parseValue("-00000099999999999999.5000000")).toBe("-00000099999999999999.5000000");
    for (const value of ["100000000000000", "1.0000001", "12345678901234567890", "0." + "1".repeat(80)]) {
      expect(
        codeOf(() => DecimalScalar.parseValue(value)),
        value,
      ).toBe("BAD_USER_INPUT");
    }
    expect(codeOf(() => DecimalScalar.parseLiteral({ kind: Kind.INT, value: "9".repeat(309) }))).toBe("BAD_USER_INPUT");
  });

  it("serialises to a string", () => {
    expect(DecimalScalar.serialize("12.500")).toBe("12.500");
  });
});

describe("DateTime", () => {
  it("parses ISO 8601 with a zone into the right instant", () => {
    expect(DateTimeScalar.parseValue("2026-11-21T08:30:00Z")?.toISOString()).toBe("2026-11-21T08:30:00.000Z");
    expect(DateTimeScalar.parseValue("2026-11-21T08:30:00.123+02:00")?.toISOString()).toBe("2026-11-21T06:30:00.123Z");
    expect(DateTimeScalar.parseValue("2026-11-21T08:30-05:00")?.toISOString()).toBe("2026-11-21T13:30:00.000Z");
  });

  it("requires a time zone", () => {
    expect(codeOf(() => DateTimeScalar.parseValue("2026-11-21T08:30:00"))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => DateTimeScalar.parseValue("2026-11-21"))).toBe("BAD_USER_INPUT");
  });

  it("rejects impossible dates instead of rolling them over", () => {
    expect(codeOf(() => DateTimeScalar.parseValue("2026-13-01T00:00:00Z"))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => DateTimeScalar.parseValue("2026-02-30T00:00:00Z"))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => DateTimeScalar.parseValue("2025-02-29T12:00:00+01:00"))).toBe("BAD_USER_INPUT");
    expect(DateTimeScalar.parseValue("2028-02-29T12:00:00+01:00")?.toISOString()).toBe("2028-02-29T11:00:00.000Z");
  });

  it("keeps to the years PostgreSQL and JavaScript share (1-9999)", () => {
    expect(codeOf(() => DateTimeScalar.parseValue("0000-01-01T00:00:00Z"))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => DateTimeScalar.parseValue("0001-01-01T00:30:00+01:00"))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => DateTimeScalar.parseValue("9999-12-31T23:30:00-01:00"))).toBe("BAD_USER_INPUT");
    expect(DateTimeScalar.parseValue("0001-01-01T00:00:00Z")?.getUTCFullYear()).toBe(1);
    expect(DateTimeScalar.parseValue("9999-12-31T23:59:59Z")?.getUTCFullYear()).toBe(9999);
  });

  it("rejects non-strings, including literals", () => {
    expect(codeOf(() => DateTimeScalar.parseValue(1763713800000))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: "1" }))).toBe("BAD_USER_INPUT");
  });

  it("serialises in UTC and refuses an invalid date", () => {
    expect(DateTimeScalar.serialize(new Date("2026-11-21T08:30:00+01:00"))).toBe("2026-11-21T07:30:00.000Z");
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow(GraphQLError);
  });
});

describe("through a GraphQL operation", () => {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: "Query",
      fields: {
        echo: {
          type: new GraphQLNonNull(DecimalScalar),
          args: { q: { type: new GraphQLNonNull(DecimalScalar) } },
          resolve: (_root, args: { q: string }) => args.q,
        },
      },
    }),
  });
  const source = "query ($q: Decimal!) { echo(q: $q) }";

  it("reports an invalid variable with code BAD_USER_INPUT and passes a valid one through", async () => {
    const bad = await graphql({ schema, source, variableValues: { q: "1e5" } });
    expect(bad.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    await expect(graphql({ schema, source, variableValues: { q: "12.5" } })).resolves.toEqual({
      data: { echo: "12.5" },
    });
  });
});
