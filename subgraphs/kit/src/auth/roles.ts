/** The roles of DESIGN.md §5. Service accounts hold roles too. */
export const ROLES = ["VIEWER", "OPERATOR", "MANAGER", "AUDITOR", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may also act as. A MANAGER can do what an OPERATOR can; an AUDITOR reads
 * everything but writes nothing; ADMIN can do everything.
 */
const IMPLIES: Record<Role, readonly Role[]> = {
  VIEWER: ["VIEWER"],
  OPERATOR: ["OPERATOR", "VIEWER"],
  MANAGER: ["MANAGER", "OPERATOR", "VIEWER"],
  AUDITOR: ["AUDITOR", "VIEWER"],
  ADMIN: ["ADMIN", "MANAGER", "OPERATOR", "AUDITOR", "VIEWER"],
};

/** True when a holder of `held` may act as any of `allowed`. */
export function grants(held: readonly Role[], allowed: readonly Role[]): boolean {
  return held.some((role) => IMPLIES[role].some((implied) => allowed.includes(implied)));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
