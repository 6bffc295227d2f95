import type { z } from "zod";
import { DomainError } from "./errors.ts";

/**
 * Validates mutation input with a zod schema; every problem is reported at once as one
 * BAD_USER_INPUT error whose `fields` lists each offending path and message.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message }));
  const summary = fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join("; ");
  throw new DomainError("BAD_USER_INPUT", `invalid input: ${summary}`, { fields });
}
