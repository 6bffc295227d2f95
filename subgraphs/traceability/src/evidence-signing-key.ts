import { generateSigningKeyPair, keyFingerprint, signingKeyPairOf, type SigningKeyPair } from "@lotgraph/kit";
import type { SigningKeys } from "./domain/evidence/evidence-ports.ts";
import type { TraceabilityClient } from "./database.ts";

const ROW_ID = "install";

/**
 * The install's Ed25519 signing key (docs/evidence-bundle.md): LOTGRAPH_SIGNING_KEY when set (a
 * PEM checked at start); otherwise the key in install_signing_key, made on first use. Replicas
 * racing to make it keep whichever was written first. Read once per process.
 */
export class InstallSigningKeys implements SigningKeys {
  #key: Promise<SigningKeyPair> | null = null;

  constructor(
    private readonly db: TraceabilityClient,
    private readonly configured: string | undefined,
  ) {}

  current(): Promise<SigningKeyPair> {
    this.#key ??= this.#load().catch((error: unknown) => {
      // A database away now is not a key lost: the next bundle tries again.
      this.#key = null;
      throw error;
    });
    return this.#key;
  }

  async #load(): Promise<SigningKeyPair> {
    if (this.configured) return signingKeyPairOf(this.configured);
    const made = generateSigningKeyPair();
    await this.db.installSigningKey.createMany({
      data: [
        {
          id: ROW_ID,
          privateKey: made.privateKeyPem,
          publicKey: made.publicKeyPem,
          fingerprint: keyFingerprint(made.publicKeyPem),
        },
      ],
      skipDuplicates: true,
    });
    const kept = await this.db.installSigningKey.findUniqueOrThrow({ where: { id: ROW_ID } });
    return signingKeyPairOf(kept.privateKey);
  }
}
