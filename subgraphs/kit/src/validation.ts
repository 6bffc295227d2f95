import { z } from "zod";
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

/*
 * The input primitives every subgraph's mutations share, so one limit or one message never
 * differs between two services.
 */

/** An entity id: a UUID. */
export const id = z.uuid("not a valid id");

/** A client's key for a retried mutation: the same key replays the first result. */
export const idempotencyKey = z.string().min(1).max(200).nullish();

/** Codes printed on labels and typed by scanners: no spaces, no surprises. */
export const code = (max = 64) =>
  z
    .string()
    .trim()
    .min(1, "required")
    .max(max)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, "letters, digits and . _ - / only");

/** A required line of text (a name, a reference), trimmed. */
export const text = (max = 200) => z.string().trim().min(1, "required").max(max);

/** Optional longer text: blank or absent is null. */
export const optionalText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));

/** Why a person changed stock or data: required, and recorded on the audit entry. */
export const reason = z.string().trim().min(1, "a reason is required").max(500);
