import { DomainError, appendAudit, type Database, type TokenService } from "@lotgraph/kit";
import { z } from "zod";
import { findUserByEmailWithHash, type IdentityClient, type IdentityTx } from "../store/user-store.ts";
import { countAttempt, lockedUntil } from "./attempts.ts";
import { SIGN_IN_ACCOUNT_LOCKOUT, SIGN_IN_ADDRESS_LOCKOUT, secondsUntil } from "./lockout.ts";
import { DUMMY_HASH, MAX_PASSWORD_LENGTH, type PasswordHasher } from "./passwords.ts";
import type { UserRecord } from "./records.ts";

/** A sign-in lasts one long shift. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

const loginSchema = z.object({
  email: z.string().trim().toLowerCase().max(320, "too long for an email address"),
  password: z.string().max(MAX_PASSWORD_LENGTH, `at most ${MAX_PASSWORD_LENGTH} characters`),
});

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: UserRecord;
}

/**
 * Sign-in, throttled: five failures on one account within 15 minutes lock that account's sign-in
 * for 15 minutes, twenty from one address block that address (a guesser trying many accounts).
 * A locked account or address is answered RATE_LIMITED with when to retry, without checking the
 * password. Wrong email and wrong password fail the same way, in the same time, and count the
 * same (an unknown email is locked too, so a lockout reveals nothing). Failures and lockouts are
 * audited; the password never is. bcrypt runs in a worker thread.
 */
export class SignInService {
  constructor(
    private readonly db: Database<IdentityClient, IdentityTx>,
    private readonly tokens: TokenService,
    private readonly passwords: PasswordHasher,
  ) {}

  async login(raw: unknown, clientAddress: string | null): Promise<LoginResult> {
    const parsed = loginSchema.safeParse(raw);
    if (!parsed.success)
      throw new DomainError("BAD_USER_INPUT", parsed.error.issues.map((issue) => issue.message).join("; "));
    const { email, password } = parsed.data;
    const keys = [`sign-in:account:${email}`, ...(clientAddress ? [`sign-in:address:${clientAddress}`] : [])];
    const now = new Date();
    await this.#refuseWhileLocked(keys, now);
    const found = await findUserByEmailWithHash(this.db.client, email);
    const matches = await this.passwords.verify(password, found?.passwordHash ?? DUMMY_HASH);
    // A deactivated person's right password is a failure too: it counts, and is audited as one.
    const deactivated = found !== null && matches && found.deactivatedAt !== null;
    const succeeded = found !== null && matches && !deactivated;
    const refusedUntil = await this.db.transaction(async (tx) => {
      const at = new Date();
      const account = await countAttempt(tx, keys[0]!, SIGN_IN_ACCOUNT_LOCKOUT, succeeded, at);
      const address = keys[1] ? await countAttempt(tx, keys[1], SIGN_IN_ADDRESS_LOCKOUT, succeeded, at) : null;
      const actor = found ? { id: found.id, name: found.name } : { id: "anonymous", name: email };
      const entity = { entityType: "User", entityId: found?.id ?? email };
      // Locked by a concurrent attempt meanwhile: refused, whatever the password.
      const lockedMeanwhile = [account, address].find((c) => c && c.lockedUntil && !c.lockedNow);
      if (lockedMeanwhile) return lockedMeanwhile.lockedUntil;
      if (succeeded) {
        await appendAudit(tx, { actor, action: "user.signedIn", ...entity, after: { address: clientAddress } });
        return null;
      }
      await appendAudit(tx, {
        actor,
        action: "user.signInFailed",
        ...entity,
        reason: deactivated ? "account deactivated" : found ? "wrong password" : "unknown email",
        after: { address: clientAddress, failuresInWindow: account.failures },
      });
      for (const [counted, what] of [
        [account, "account"],
        [address, "address"],
      ] as const) {
        if (counted?.lockedNow)
          await appendAudit(tx, {
            actor,
            action: "user.signInLocked",
            ...entity,
            reason: `too many failed sign-ins for this ${what}: locked until ${counted.lockedUntil!.toISOString()}`,
            after: { [what]: what === "account" ? email : clientAddress, lockedUntil: counted.lockedUntil },
          });
      }
      return null;
    });
    if (refusedUntil) throw rateLimited(refusedUntil, now);
    // Said only to whoever knows the password: it reveals nothing a guesser could use.
    if (deactivated) {
      throw new DomainError("UNAUTHENTICATED", "this account is deactivated: ask an administrator", {
        reason: "DEACTIVATED",
      });
    }
    if (!found || !succeeded) throw new DomainError("UNAUTHENTICATED", "wrong email or password");
    const { passwordHash: _hash, ...user } = found;
    const token = await this.tokens.sign(
      { id: user.id, name: user.name, kind: "user", roles: user.roles },
      SESSION_TTL_SECONDS,
    );
    return { token, expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000), user };
  }

  /** RATE_LIMITED while the account or the address is locked, without looking at the password. */
  async #refuseWhileLocked(keys: readonly string[], now: Date): Promise<void> {
    for (const key of keys) {
      const until = await lockedUntil(this.db, key, now);
      if (until) throw rateLimited(until, now);
    }
  }
}

function rateLimited(until: Date, now: Date): DomainError {
  const retryAfterSeconds = secondsUntil(until, now);
  return new DomainError(
    "RATE_LIMITED",
    `too many failed sign-ins: try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`,
    { retryAfterSeconds, lockedUntil: until.toISOString() },
  );
}
