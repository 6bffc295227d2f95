/** The roles of DESIGN.md §5, as the API reports them in `me.roles`. */
export type Role = "VIEWER" | "OPERATOR" | "MANAGER" | "AUDITOR" | "ADMIN";

/**
 * What each role may also act as: the same table the API enforces
 * (subgraphs/kit/src/auth/roles.ts). The app only uses it to decide what to show; the API decides
 * what is allowed.
 */
const IMPLIES: Record<Role, readonly Role[]> = {
  VIEWER: ["VIEWER"],
  OPERATOR: ["OPERATOR", "VIEWER"],
  MANAGER: ["MANAGER", "OPERATOR", "VIEWER"],
  AUDITOR: ["AUDITOR", "VIEWER"],
  ADMIN: ["ADMIN", "MANAGER", "OPERATOR", "AUDITOR", "VIEWER"],
};

/** True when someone holding `held` may act as any of `allowed`. */
export function grants(held: readonly string[], allowed: readonly Role[]): boolean {
  return held.some((role) => (IMPLIES[role as Role] ?? []).some((implied) => allowed.includes(implied)));
}
