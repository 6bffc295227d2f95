import { ROLES } from "@lotgraph/kit";
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./passwords.ts";

/** The roles of a person or service account: at least one, none twice. */
export const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1, "at least one role")
  .refine((r) => new Set(r).size === r.length, "roles repeat");

/** A password someone chooses (at creation, or to replace theirs). */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `at most ${MAX_PASSWORD_LENGTH} characters`);
