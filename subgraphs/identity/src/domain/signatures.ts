import { appendAudit, isUuid, parseInput, requireInternal, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import { findUserByIdWithHash, type IdentityClient, type IdentityTx } from "../store/user-store.ts";
import { countAttempt, lockedUntil } from "./attempts.ts";
import { SIGNING_LOCKOUT } from "./lockout.ts";
import { DUMMY_HASH, MAX_PASSWORD_LENGTH, type PasswordHasher } from "./passwords.ts";
import type { UserRecord } from "./records.ts";

const verifySignatureSchema = z.object({
  userId: z.string().trim().min(1, "required").max(200),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});

export interface SignatureResult {
  valid: boolean;
  user: UserRecord | null;
  /** Set while the signer is locked out of signing. */
  lockedUntil: Date | null;
}

/**
 * Electronic signatures, checked for another service (quality's releases and dispositions): the
 * signer's re-entered password. An unknown user is compared against a dummy hash, so the answer
 * takes as long and says only valid: false. Five wrong passwords within 15 minutes lock the
 * signer out of signing for 15 minutes (`lockedUntil`; even the right password is refused
 * meanwhile). Every attempt, failed and refused ones included, is audited on the user (21 CFR
 * Part 11), never with the password, in the transaction that counts it.
 */
export class SignatureService {
  constructor(
    private readonly db: Database<IdentityClient, IdentityTx>,
    private readonly passwords: PasswordHasher,
  ) {}

  async verifySignature(caller: Principal | null, rawInput: unknown): Promise<SignatureResult> {
    const service = requireInternal(caller);
    const input = parseInput(verifySignatureSchema, rawInput);
    const found = isUuid(input.userId) ? await findUserByIdWithHash(this.db.client, input.userId) : null;
    const audit = (tx: IdentityTx, action: string, reason: string | null, after: Record<string, unknown>) =>
      appendAudit(tx, {
        // The signer is the one acting; the service only carried the password.
        actor: found ? { id: found.id, name: found.name } : { id: service.id, name: service.name },
        action,
        entityType: "User",
        entityId: input.userId,
        reason,
        after: { ...after, via: service.name },
      });
    if (!found || found.deactivatedAt) {
      // The same time either way; a deactivated signer's password is not even looked at.
      await this.passwords.verify(input.password, DUMMY_HASH);
      const [action, reason] = found
        ? ["signature.refused", "account deactivated"]
        : ["signature.failed", "unknown user"];
      await this.db.transaction((tx) => audit(tx, action, reason, { valid: false }));
      return { valid: false, user: null, lockedUntil: null };
    }
    const key = `signature:${found.id}`;
    // Locked: refused without looking at the password.
    const locked = await lockedUntil(this.db, key, new Date());
    if (locked) {
      await this.db.transaction((tx) =>
        audit(tx, "signature.refused", "signing locked after repeated wrong passwords", {
          valid: false,
          lockedUntil: locked,
        }),
      );
      return { valid: false, user: null, lockedUntil: locked };
    }
    const matches = await this.passwords.verify(input.password, found.passwordHash);
    const { passwordHash: _hash, ...user } = found;
    return this.db.transaction(async (tx) => {
      const counted = await countAttempt(tx, key, SIGNING_LOCKOUT, matches, new Date());
      if (counted.lockedUntil && !counted.lockedNow) {
        await audit(tx, "signature.refused", "signing locked after repeated wrong passwords", {
          valid: false,
          lockedUntil: counted.lockedUntil,
        });
        return { valid: false, user: null, lockedUntil: counted.lockedUntil };
      }
      if (matches) {
        await audit(tx, "signature.verified", null, { valid: true });
        return { valid: true, user, lockedUntil: null };
      }
      await audit(tx, "signature.failed", null, { valid: false, failuresInWindow: counted.failures });
      if (counted.lockedNow)
        await audit(
          tx,
          "signature.lockedOut",
          `${SIGNING_LOCKOUT.failures} wrong signature passwords within 15 minutes`,
          {
            lockedUntil: counted.lockedUntil,
          },
        );
      return { valid: false, user: null, lockedUntil: counted.lockedUntil };
    });
  }
}
