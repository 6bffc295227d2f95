import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.ts";
import { isDependencyUnavailable } from "./unavailable.ts";

/** The shape Prisma 7 gives a raw query whose connection the server closed (seen in the fault suite). */
function prismaRawQueryOnClosedConnection(): Error {
  return Object.assign(new Error("Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`"), {
    code: "P2010",
    meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } } },
  });
}

describe("isDependencyUnavailable", () => {
  it("recognises a database or peer that is away, however it is wrapped", () => {
    expect(isDependencyUnavailable(prismaRawQueryOnClosedConnection())).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error("x"), { code: "57P01" }))).toBe(true);
    expect(isDependencyUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(
      isDependencyUnavailable(new Error("outer", { cause: Object.assign(new Error("y"), { code: "ECONNREFUSED" }) })),
    ).toBe(true);
    expect(isDependencyUnavailable({ originalError: prismaRawQueryOnClosedConnection() })).toBe(true);
    const adminShutdown = Object.assign(new Error("terminating connection"), {
      code: "P2010",
      meta: { driverAdapterError: { cause: { kind: "postgres", originalCode: "57P01" } } },
    });
    expect(isDependencyUnavailable(adminShutdown)).toBe(true);
  });

  it("does not mistake a refused value or a rule for an outage", () => {
    expect(
      isDependencyUnavailable(Object.assign(new Error("invalid input syntax for type uuid"), { code: "22P02" })),
    ).toBe(false);
    expect(
      isDependencyUnavailable(
        Object.assign(new Error("Invalid input value"), {
          code: "P2007",
          meta: { driverAdapterError: { cause: { kind: "InvalidInputValue", originalCode: "22P02" } } },
        }),
      ),
    ).toBe(false);
    expect(isDependencyUnavailable(new DomainError("CONFLICT", "already released"))).toBe(false);
    expect(isDependencyUnavailable(new Error("Unexpected error."))).toBe(false);
  });
});
