import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { z } from "zod";
import type { CredentialRegistry } from "./credential-registry.ts";
import { ROLES, type Role } from "./roles.ts";

/** Who is calling: a person, an integrator's service account, or another Lotgraph service. */
export interface Principal {
  id: string;
  name: string;
  /** `user` and `service-account` come from identity; `internal` is a Lotgraph service. */
  kind: "user" | "service-account" | "internal";
  roles: Role[];
}

const ISSUER = "lotgraph";
const AUDIENCE = "lotgraph";

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string(),
  kind: z.enum(["user", "service-account", "internal"]),
  roles: z.array(z.enum(ROLES)),
});

type Session = { principal: Principal; expiresAt: Date | null };
/** What the signature proves: the claims as signed, and the token's id (`jti`) when it has one. */
type VerifiedToken = {
  session: Session;
  tokenId: string | null;
  issuedAt: Date | null;
  /** The session last handed out with the registry's principal, reused while that principal is. */
  admitted?: Session;
};

/** Verified tokens remembered per process; a gateway replica sees a few hundred callers at most. */
const VERIFIED_CACHE_SIZE = 1_000;

/** Signing and verification with one shared HS256 secret (see docs/decisions/0002). */
export class TokenService {
  /** Imported once: importing the raw secret on every call cost more than the HMAC itself. */
  readonly #key: Promise<CryptoKey>;
  /**
   * Tokens already verified, by their exact text: the same bytes verify the same way until they
   * expire, so every request of a session (and every subgraph hop of it) need not redo the HMAC
   * and the claims check. Least recently used first; expiry is checked on every hit.
   */
  readonly #verified = new Map<string, VerifiedToken>();
  /** Internal tokens signed for each calling service, reused until a minute before they expire. */
  readonly #internal = new Map<string, { token: Promise<string>; reuseUntil: number }>();
  /** Whether a signed token's owner still counts, and with which roles (null: the claims alone). */
  #registry: CredentialRegistry | null = null;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error("the JWT secret must be at least 32 characters");
    this.#key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
  }

  /**
   * From now on, a verified token counts only while identity's credential list says its owner is
   * active, and carries the roles and name the list gives (docs/decisions/0019). Without a
   * registry (tests of the token format alone) the signed claims are all there is.
   */
  useRegistry(registry: CredentialRegistry): void {
    this.#registry = registry;
  }

  get registry(): CredentialRegistry | null {
    return this.#registry;
  }

  /**
   * Issues a token for `principal`, valid for `ttlSeconds` (or without expiry when null), with
   * `tokenId` as its `jti` (a service account's token, which rotation replaces).
   */
  async sign(principal: Principal, ttlSeconds: number | null, tokenId?: string): Promise<string> {
    const jwt = new SignJWT({ name: principal.name, kind: principal.kind, roles: principal.roles })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(principal.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt();
    if (ttlSeconds !== null) jwt.setExpirationTime(`${ttlSeconds}s`);
    if (tokenId) jwt.setJti(tokenId);
    return jwt.sign(await this.#key);
  }

  /** Verifies signature, issuer, audience and expiry; returns null for any invalid token. */
  async verify(token: string): Promise<Principal | null> {
    return (await this.session(token))?.principal ?? null;
  }

  /**
   * Like {@link verify}, with when the token expires (null: never). A long-lived connection
   * (graphql-ws) needs it to stop serving a caller whose token has run out.
   */
  async session(token: string): Promise<Session | null> {
    const verified = await this.#signed(token);
    if (!verified) return null;
    const { session } = verified;
    if (!this.#registry) return session;
    const principal = await this.#registry.admit(session.principal, verified.tokenId, verified.issuedAt);
    if (!principal) return null;
    if (principal === session.principal) return session;
    if (verified.admitted?.principal !== principal) {
      verified.admitted = Object.freeze({ principal, expiresAt: session.expiresAt });
    }
    return verified.admitted;
  }

  /** The token's signed claims if its signature, issuer, audience and expiry hold (cached). */
  async #signed(token: string): Promise<VerifiedToken | null> {
    const known = this.#verified.get(token);
    if (known) {
      this.#verified.delete(token);
      if (known.session.expiresAt && known.session.expiresAt.getTime() <= Date.now()) return null;
      this.#verified.set(token, known); // now the most recently used
      return known;
    }
    const verified = await this.#verify(token);
    if (verified) {
      this.#verified.set(token, verified);
      if (this.#verified.size > VERIFIED_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value!);
    }
    return verified;
  }

  async #verify(token: string): Promise<VerifiedToken | null> {
    try {
      const { payload } = await jwtVerify(token, await this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return null;
      const { sub, name, kind, roles } = claims.data;
      // Frozen: the same session is handed to every request that presents this token.
      return {
        session: Object.freeze({
          principal: Object.freeze({ id: sub, name, kind, roles: Object.freeze(roles) as Role[] }),
          expiresAt: typeof payload.exp === "number" ? new Date(payload.exp * 1000) : null,
        }),
        tokenId: typeof payload.jti === "string" ? payload.jti : null,
        issuedAt: typeof payload.iat === "number" ? new Date(payload.iat * 1000) : null,
      };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }

  /**
   * A short-lived token (5 minutes) a Lotgraph service uses to call another one. Reused while it
   * has more than a minute left: the callee verifies the same bytes once, from its cache.
   */
  internalToken(service: string): Promise<string> {
    const cached = this.#internal.get(service);
    if (cached && cached.reuseUntil > Date.now()) return cached.token;
    const token = this.sign({ id: `service:${service}`, name: service, kind: "internal", roles: ["ADMIN"] }, 300);
    this.#internal.set(service, { token, reuseUntil: Date.now() + 240_000 });
    token.catch(() => this.#internal.delete(service));
    return token;
  }
}

/** Extracts the bearer token of an `Authorization` header value. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1] ?? null;
}
