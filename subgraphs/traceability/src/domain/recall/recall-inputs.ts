import { DomainError, badInput, id, idempotencyKey, text, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import type { RecallCaseRecord } from "./recall-records.ts";

/** The inputs of the recall mutations, and the small rules they share. */

const supplierLotCode = z.string().trim().min(1, "required").max(64);
export const openSchema = z.object({
  lotId: id.nullish(),
  supplierLotCode: supplierLotCode.nullish(),
  reason: text(500),
  drill: z.boolean().nullish(),
  idempotencyKey,
});
/** A clock a few minutes fast is not an error; a notice dated tomorrow is. */
const FUTURE_SLACK_MS = 5 * 60_000;
export const noticeSchema = z
  .object({
    recallCaseId: id,
    customerId: id,
    notifiedAt: z.date(),
    acknowledgedAt: z.date().nullish(),
    note: z.string().trim().max(2000).nullish(),
    idempotencyKey,
  })
  .superRefine((input, context) => {
    const latest = Date.now() + FUTURE_SLACK_MS;
    if (input.notifiedAt.getTime() > latest)
      context.addIssue({ code: "custom", path: ["notifiedAt"], message: "is in the future" });
    if (input.acknowledgedAt && input.acknowledgedAt.getTime() > latest)
      context.addIssue({ code: "custom", path: ["acknowledgedAt"], message: "is in the future" });
    if (input.acknowledgedAt && input.acknowledgedAt < input.notifiedAt)
      context.addIssue({ code: "custom", path: ["acknowledgedAt"], message: "is before notifiedAt" });
  });
const signature = z.object({ password: z.string().max(1000), meaning: z.string().trim().max(200) }).nullish();
export const closeSchema = z.object({ recallCaseId: id, reason: text(500), signature, idempotencyKey });

export type OpenInput = z.output<typeof openSchema>;

export function conflict(message: string): DomainError {
  return new DomainError("CONFLICT", message);
}

/**
 * The shape of an electronic signature (21 CFR Part 11): a person re-enters their own password
 * and states its meaning. Missing, or a service signing: SIGNATURE_REQUIRED.
 */
export function requireSignature(
  actor: Principal,
  given: { password: string; meaning: string } | null | undefined,
): { password: string; meaning: string } {
  if (!given || given.password.length === 0 || given.meaning.length === 0)
    throw new DomainError("SIGNATURE_REQUIRED", "re-enter your password and state the meaning of the signature");
  if (actor.kind !== "user") throw new DomainError("SIGNATURE_REQUIRED", "only a person can sign");
  return given;
}

export function caseAudit(created: RecallCaseRecord, frozenLots: number) {
  return {
    number: created.number,
    drill: created.drill,
    sourceLotId: created.sourceLotId,
    supplierLotCode: created.supplierLotCode,
    frozenLots,
    answeredInMs: created.answeredInMs,
  };
}

export function afterKey(key: string[]): { openedAt: Date; id: string } {
  const [at, caseId] = key;
  const openedAt = new Date(at ?? "");
  if (Number.isNaN(openedAt.getTime()) || !caseId) throw badInput("after", "after is not a cursor of recallCases");
  return { openedAt, id: caseId };
}

/** What a new case knows besides its request: ids, time, timing and the holds placed. */
export interface NewCaseFacts {
  caseId: string;
  number: string;
  openedAt: Date;
  drill: boolean;
  answeredInMs: number;
  containment: RecallCaseRecord["containment"];
  holdIds: string[];
  supplierHoldIds: string[];
}

export function newCase(
  input: Omit<OpenInput, "idempotencyKey">,
  actor: { id: string; name: string },
  facts: NewCaseFacts,
): RecallCaseRecord {
  return {
    id: facts.caseId,
    number: facts.number,
    drill: facts.drill,
    status: "OPEN",
    reason: input.reason,
    sourceLotId: input.lotId ?? null,
    supplierLotCode: input.supplierLotCode ?? null,
    openedAt: facts.openedAt,
    openedById: actor.id,
    openedByName: actor.name,
    answeredInMs: facts.answeredInMs,
    containment: facts.containment,
    holdIds: facts.holdIds,
    supplierHoldIds: facts.supplierHoldIds,
    closedAt: null,
    closedById: null,
    closedByName: null,
    closeReason: null,
    signerName: null,
    signedAt: null,
    signatureMeaning: null,
  };
}
