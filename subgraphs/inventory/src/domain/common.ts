import { DomainError, code, text, type AuditActor, type Principal } from "@lotgraph/kit";
import { z } from "zod";

/** Serial numbers as printed on a unit; unique per material. */
export const serialNumbers = z
  .array(code(100))
  .min(1, "at least one serial number")
  .max(10_000)
  .refine((list) => new Set(list).size === list.length, "serial numbers must be unique")
  .nullish();

/** Internal calls may name the person the calling service acts for. */
export const performedBy = z.object({ id: z.string().trim().min(1).max(200), name: text() }).nullish();

export function conflict(field: string, message: string): DomainError {
  return new DomainError("CONFLICT", message, { field });
}

/**
 * Who a ledger entry and its audit entry name. A service acting for a person records the person
 * (21 CFR Part 11 wants the operator) and keeps the service in `via`.
 */
export interface Actor extends AuditActor {
  via: string | null;
}

export function actorOf(caller: Principal, onBehalf?: { id: string; name: string } | null): Actor {
  if (onBehalf) return { id: onBehalf.id, name: onBehalf.name, via: caller.name };
  return { id: caller.id, name: caller.name, via: null };
}
