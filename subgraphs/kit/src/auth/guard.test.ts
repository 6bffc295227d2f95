import { describe, expect, it } from "vitest";
import { DomainError, type ErrorCode } from "../errors.ts";
import { requireAuthenticated, requireInternal, requireRole } from "./guard.ts";
import { grants, isRole, type Role } from "./roles.ts";
import type { Principal } from "./tokens.ts";

function user(...roles: Role[]): Principal {
  return { id: `user-${roles.join("-")}`, name: "Someone", kind: "user", roles };
}

/** The code of the DomainError `fn` throws. */
function codeOf(fn: () => unknown): ErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("requireRole", () => {
  it("is UNAUTHENTICATED without a caller", () => {
    expect(codeOf(() => requireRole(null, "VIEWER"))).toBe("UNAUTHENTICATED");
  });

  it("is FORBIDDEN for a caller without a role that grants the operation, naming the roles needed", () => {
    try {
      requireRole(user("VIEWER"), "OPERATOR", "MANAGER");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "FORBIDDEN", details: { requiredRoles: ["OPERATOR", "MANAGER"] } });
    }
  });

  it("returns the caller when one of its roles is allowed", () => {
    const caller = user("OPERATOR");
    expect(requireRole(caller, "OPERATOR")).toBe(caller);
  });

  it("lets a MANAGER act as an OPERATOR but not an OPERATOR as a MANAGER", () => {
    expect(requireRole(user("MANAGER"), "OPERATOR").roles).toEqual(["MANAGER"]);
    expect(codeOf(() => requireRole(user("OPERATOR"), "MANAGER"))).toBe("FORBIDDEN");
  });

  it("lets an AUDITOR read but never write", () => {
    expect(requireRole(user("AUDITOR"), "VIEWER").roles).toEqual(["AUDITOR"]);
    expect(codeOf(() => requireRole(user("AUDITOR"), "OPERATOR"))).toBe("FORBIDDEN");
    expect(codeOf(() => requireRole(user("AUDITOR"), "MANAGER"))).toBe("FORBIDDEN");
    expect(codeOf(() => requireRole(user("AUDITOR"), "ADMIN"))).toBe("FORBIDDEN");
  });

  it("lets an ADMIN do everything", () => {
    for (const role of ["VIEWER", "OPERATOR", "MANAGER", "AUDITOR", "ADMIN"] as const) {
      expect(requireRole(user("ADMIN"), role).roles).toEqual(["ADMIN"]);
    }
  });

  it("is FORBIDDEN for a caller with no roles at all", () => {
    expect(codeOf(() => requireRole(user(), "VIEWER"))).toBe("FORBIDDEN");
  });
});

describe("grants", () => {
  it("combines the roles a caller holds", () => {
    expect(grants(["VIEWER", "AUDITOR"], ["AUDITOR"])).toBe(true);
    expect(grants(["VIEWER", "AUDITOR"], ["OPERATOR"])).toBe(false);
  });

  it("knows the role names", () => {
    expect(isRole("MANAGER")).toBe(true);
    expect(isRole("manager")).toBe(false);
  });
});

describe("requireAuthenticated", () => {
  it("returns any verified caller and refuses a missing one", () => {
    const caller = user();
    expect(requireAuthenticated(caller)).toBe(caller);
    expect(codeOf(() => requireAuthenticated(null))).toBe("UNAUTHENTICATED");
  });
});

describe("requireInternal", () => {
  it("accepts another Lotgraph service", () => {
    const service: Principal = { id: "service:quality", name: "quality", kind: "internal", roles: ["ADMIN"] };
    expect(requireInternal(service)).toBe(service);
  });

  it("refuses people and service accounts, even ADMINs", () => {
    expect(codeOf(() => requireInternal(user("ADMIN")))).toBe("FORBIDDEN");
    const integrator: Principal = { id: "sa-1", name: "erp", kind: "service-account", roles: ["ADMIN"] };
    expect(codeOf(() => requireInternal(integrator))).toBe("FORBIDDEN");
  });

  it("is UNAUTHENTICATED without a caller", () => {
    expect(codeOf(() => requireInternal(null))).toBe("UNAUTHENTICATED");
  });
});
