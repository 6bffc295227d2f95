import { availableParallelism } from "node:os";
import { Piscina } from "piscina";

/** bcrypt cost: ~100 ms per hash on a plant server, slow enough against offline guessing. */
const COST = 11;
/**
 * The longest password a sign-in or a signature may send: refused before any hashing, so a
 * megabyte "password" costs no work. New passwords have a stricter rule (password-policy.ts).
 */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * bcrypt off the event loop: a small pool of worker threads (one per two cores, at least one),
 * started on first use, with a bounded queue. A flood of sign-ins waits in the queue or is
 * refused; it never stalls the requests the main thread answers meanwhile.
 */
export class PasswordHasher {
  #pool: Piscina | null = null;

  async hash(password: string): Promise<string> {
    return (await this.#workers().run({ op: "hash", password, cost: COST })) as string;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    if (password.length > MAX_PASSWORD_LENGTH) return false;
    return (await this.#workers().run({ op: "compare", password, hash })) as boolean;
  }

  async close(): Promise<void> {
    await this.#pool?.close();
    this.#pool = null;
  }

  #workers(): Piscina {
    this.#pool ??= new Piscina({
      filename: new URL("./password-worker.mjs", import.meta.url).href,
      minThreads: 1,
      maxThreads: Math.max(1, Math.floor(availableParallelism() / 2)),
      maxQueue: 256,
      idleTimeout: 60_000,
    });
    return this.#pool;
  }
}

/**
 * Compared against when the email is unknown, so a wrong email and a wrong password take the
 * same time and the response does not reveal which accounts exist. A bcrypt hash (cost 11) of a
 * phrase nobody signs in with, written out rather than computed at start-up.
 */
export const DUMMY_HASH = "$2b$11$Jwjm2lYX8Vxanip1O1L//OgHGFtzkDEGhN1IFVPFLfbL5kLjdWrRy";
