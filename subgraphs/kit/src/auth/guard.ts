import { DomainError } from "../errors.ts";
import { grants, type Role } from "./roles.ts";
import type { Principal } from "./tokens.ts";

/** Fails with UNAUTHENTICATED unless a verified caller is present. */
export function requireAuthenticated(principal: Principal | null): Principal {
  if (!principal) throw new DomainError("UNAUTHENTICATED", "sign in first: this operation needs a valid token");
  return principal;
}

/**
 * The guard every mutation starts with: UNAUTHENTICATED without a verified caller, FORBIDDEN
 * unless the caller holds one of `allowed` (directly or through a broader role).
 */
export function requireRole(principal: Principal | null, ...allowed: Role[]): Principal {
  const caller = requireAuthenticated(principal);
  if (!grants(caller.roles, allowed)) {
    throw new DomainError("FORBIDDEN", `this operation needs the role ${allowed.join(" or ")}`, {
      requiredRoles: allowed,
    });
  }
  return caller;
}

/** Guard of internal service-to-service operations: only another Lotgraph service may call. */
export function requireInternal(principal: Principal | null): Principal {
  const caller = requireAuthenticated(principal);
  if (caller.kind !== "internal") throw new DomainError("FORBIDDEN", "internal operation: a service token is required");
  return caller;
}
