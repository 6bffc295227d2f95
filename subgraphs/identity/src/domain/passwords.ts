import bcrypt from "bcryptjs";

/** bcrypt cost: ~100 ms per hash on a plant server, slow enough against offline guessing. */
const COST = 11;
export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * Compared against when the email is unknown, so a wrong email and a wrong password take the
 * same time and the response does not reveal which accounts exist.
 */
export const DUMMY_HASH = bcrypt.hashSync("lotgraph-timing-equaliser", COST);
