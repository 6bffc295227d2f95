import { DomainError, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import type { IdentityPort } from "./peers.ts";
import type { ReleaseRecord } from "./records.ts";

/** `signature: {password, meaning}` of a signed mutation; checked by {@link requireSignatureGiven} and {@link verifySignature}. */
export const signatureInput = z
  .object({ password: z.string().max(1000), meaning: z.string().trim().max(200) })
  .nullish();

export interface Signed {
  signerName: string;
  meaning: string;
  signedAt: Date;
}

/** A signature as given: checked for presence and signer kind, not yet verified. */
export interface GivenSignature {
  password: string;
  meaning: string;
}

/**
 * The shape of an electronic signature (21 CFR Part 11), checked before anything is looked up:
 * the caller is a person, re-enters their own password and states what the signature means.
 * Missing either, or signed by a service: SIGNATURE_REQUIRED. The password is never stored,
 * logged or put in an idempotency record.
 */
export function requireSignatureGiven(actor: Principal, signature: z.output<typeof signatureInput>): GivenSignature {
  if (!signature || signature.password.length === 0 || signature.meaning.length === 0)
    throw signatureRequired("re-enter your password and state the meaning of the signature");
  if (actor.kind !== "user") throw signatureRequired("only a person can sign");
  return { password: signature.password, meaning: signature.meaning };
}

/**
 * What a signed command's replay must repeat: its input without the key and the password, with
 * the signature's meaning. Refuses a signature not given (see {@link requireSignatureGiven}), on
 * a replay too, before anything is read.
 */
export function signedRequest<I extends { signature?: z.output<typeof signatureInput>; idempotencyKey?: unknown }>(
  input: I,
  caller: Principal,
): Omit<I, "signature" | "idempotencyKey"> & { meaning: string } {
  const { signature, idempotencyKey: _key, ...rest } = input;
  return { ...rest, meaning: requireSignatureGiven(caller, signature).meaning };
}

/**
 * Verifies a given signature with identity, which checks the password and locks a signer out of
 * signing for a while after repeated wrong ones. Wrong or locked: SIGNATURE_REQUIRED.
 */
export async function verifySignature(
  identity: IdentityPort,
  actor: Principal,
  given: GivenSignature,
  requestId: string,
): Promise<Signed> {
  const check = await identity.verifySignature(actor.id, given.password, requestId);
  if (check.lockedUntil)
    throw signatureRequired(
      `signing is locked until ${check.lockedUntil.toISOString()} after repeated wrong passwords`,
      { lockedUntil: check.lockedUntil.toISOString() },
    );
  if (!check.signer) throw signatureRequired("the signature is not valid: wrong password");
  return { signerName: check.signer.name, meaning: given.meaning, signedAt: new Date() };
}

/** A release by `actor`, signed. */
export function signedRelease(actor: Principal, reason: string, signed: Signed): ReleaseRecord {
  return {
    releasedAt: signed.signedAt,
    releasedById: actor.id,
    releasedByName: actor.name,
    releaseReason: reason,
    signerName: signed.signerName,
    signedAt: signed.signedAt,
    signatureMeaning: signed.meaning,
  };
}

export const signatureRequired = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError("SIGNATURE_REQUIRED", message, details);

/**
 * A release read back from the pending-write journal, where its times are JSON strings: the
 * signature it records was verified when the write was journalled.
 */
export function reviveRelease(release: ReleaseRecord): ReleaseRecord {
  return { ...release, releasedAt: new Date(release.releasedAt), signedAt: new Date(release.signedAt) };
}
