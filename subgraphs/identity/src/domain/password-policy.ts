import { dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 12;
/**
 * bcrypt reads the first 72 bytes and ignores the rest; a longer password would be cut without
 * a word, so it is refused with a reason instead.
 */
export const MAX_PASSWORD_BYTES = 72;

/** Digits and symbols people add to a common word to pass a length rule ("Summer2026!"). */
const DECORATION = /[\d\s!-/:-@[-`{-~]+$/u;

let common: ReadonlySet<string> | null = null;

/**
 * The most common passwords of public breach corpora (about 49,000, from zxcvbn-ts's data, MIT),
 * lower-cased, loaded on first use.
 */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary["passwords-common"].map((password) => password.toLowerCase()));
  return common;
}

/**
 * Why a password someone chose may not be used, or null when it may. Length (12 characters, 72
 * bytes), and not a common password, nor a common word with digits or symbols tacked on.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES)
    return `at most ${MAX_PASSWORD_BYTES} bytes (about 72 letters; fewer with accents or other scripts)`;
  const lowered = password.toLowerCase();
  const base = lowered.replace(DECORATION, "");
  if (commonPasswords().has(lowered) || (base.length > 0 && commonPasswords().has(base)))
    return "one of the most common passwords (or one with digits added): choose a phrase of a few unrelated words";
  if (new Set(lowered).size <= 2) return "too repetitive: choose a phrase of a few unrelated words";
  return null;
}
