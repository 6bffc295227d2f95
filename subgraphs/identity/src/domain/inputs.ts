import { ROLES } from "@lotgraph/kit";
import { z } from "zod";
import { passwordProblem } from "./password-policy.ts";

/** The roles of a person or service account: at least one, none twice. */
export const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1, "at least one role")
  .refine((r) => new Set(r).size === r.length, "roles repeat");

/** A password someone chooses (at creation, or to replace theirs): the policy of password-policy.ts. */
export const newPasswordSchema = z.string().superRefine((password, context) => {
  const problem = passwordProblem(password);
  if (problem) context.addIssue({ code: "custom", message: problem });
});
