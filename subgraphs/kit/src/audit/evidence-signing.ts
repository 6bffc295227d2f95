import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";

/**
 * The install's signing key (docs/evidence-bundle.md): Ed25519 (RFC 8032), in PEM, PKCS #8 for
 * the private half and SPKI for the public one. Signatures are 64 bytes, sent as base64 text.
 * Depends on node:crypto alone: the offline verifier uses the same functions.
 */
export interface SigningKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A new Ed25519 key pair. */
export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKeyPem: pem(privateKey, "pkcs8"), publicKeyPem: pem(publicKey, "spki") };
}

/** The pair of a PEM private key; throws unless it is an Ed25519 key. */
export function signingKeyPairOf(privateKeyPem: string): SigningKeyPair {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== "ed25519")
    throw new Error(`the signing key must be an Ed25519 key, not ${privateKey.asymmetricKeyType ?? "a secret key"}`);
  return { privateKeyPem: pem(privateKey, "pkcs8"), publicKeyPem: pem(createPublicKey(privateKey), "spki") };
}

/**
 * What a person compares to know a key: `sha256:` and the SHA-256 of the public key's DER
 * (SubjectPublicKeyInfo) encoding, in hex. Throws unless the PEM holds an Ed25519 public key.
 */
export function keyFingerprint(publicKeyPem: string): string {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== "ed25519") throw new Error("not an Ed25519 public key");
  return `sha256:${createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex")}`;
}

/**
 * A fingerprint as people may type it (upper case, with or without `sha256:`, grouped with
 * spaces or colons) in the form {@link keyFingerprint} writes; null when it is not one.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, "")
    .replace(/[\s:]/g, "");
  return /^[0-9a-f]{64}$/.test(hex) ? `sha256:${hex}` : null;
}

/** The Ed25519 signature of `bytes`, base64. */
export function signBytes(bytes: Uint8Array, privateKeyPem: string): string {
  return sign(null, bytes, createPrivateKey(privateKeyPem)).toString("base64");
}

/** Whether `signature` (base64) is the Ed25519 signature of `bytes` by that key; false for a malformed one. */
export function verifySignedBytes(bytes: Uint8Array, signature: string, publicKeyPem: string): boolean {
  const raw = Buffer.from(signature.trim(), "base64");
  if (raw.length !== 64) return false;
  try {
    return verify(null, bytes, createPublicKey(publicKeyPem), raw);
  } catch {
    return false;
  }
}

function pem(key: KeyObject, type: "pkcs8" | "spki"): string {
  return type === "pkcs8"
    ? key.export({ type: "pkcs8", format: "pem" }).toString()
    : key.export({ type: "spki", format: "pem" }).toString();
}
