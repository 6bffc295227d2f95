import { DomainError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Role } from "./roles.ts";
import type { Principal } from "./tokens.ts";

/**
 * What identity says of one person or service account right now. A token proves who signed in;
 * this says whether that still counts, and with which roles (docs/decisions/0019).
 */
export interface CredentialStatus {
  id: string;
  kind: "user" | "service-account";
  name: string;
  roles: Role[];
  /** False once a person is deactivated or a service account revoked. */
  active: boolean;
  /**
   * Service accounts: the one token id (`jti`) accepted; rotation replaces it. Null for an
   * account whose token predates token ids (accepted until it is rotated or revoked).
   */
  tokenId: string | null;
  /** The gateway accepts only registered operations (trusted documents) from this principal. */
  trustedDocumentsOnly: boolean;
}

/** A service account seen calling, reported to identity at the next refresh (its `lastUsedAt`). */
export interface CredentialUse {
  id: string;
  at: Date;
}

/**
 * Fetches every credential's status from identity, handing over the uses seen since the last
 * call. Identity itself reads its database; every other process asks identity over HTTP.
 */
export type CredentialSource = (uses: CredentialUse[]) => Promise<CredentialStatus[]>;

export interface CredentialRegistryOptions {
  /** How often the whole list is fetched again: the bound on a revocation's delay. */
  refreshMs: number;
  logger: Logger;
}

/** The default refresh: a revoked token stops within this plus one fetch (README: 15 s). */
export const DEFAULT_CREDENTIAL_REFRESH_MS = 10_000;
/**
 * A token signed this long before the last fetch began, for someone the list lacks, is refused
 * without fetching again; a newer one (a person created since) fetches first. The margin covers
 * clocks that differ between machines.
 */
const ISSUE_CLOCK_MARGIN_MS = 5_000;
/** Fetches for unknown principals run at most this often, whatever the tokens say. */
const UNKNOWN_REFETCH_MS = 250;

interface Entry {
  status: CredentialStatus;
  /** The principal handed to requests, built once per status (frozen: shared by every request). */
  principal: Principal;
}

/**
 * Every process's copy of identity's credential list: the check that a verified token's owner is
 * still active, with the roles identity gives them now. Checking is a map lookup on the request's
 * path; fetching runs on a timer beside it, and right away when identity changes a credential in
 * this process. Until the first fetch succeeds a check waits for one; when identity cannot be
 * reached, the last list stays in force and the failure is logged.
 */
export class CredentialRegistry {
  #entries = new Map<string, Entry>();
  #loaded = false;
  #lastFetchAt = 0;
  #lastFetchStartedAt = 0;
  #fetching: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #uses = new Map<string, Date>();
  readonly #listeners = new Set<(changed: ReadonlySet<string>) => void>();
  #lastFailureLoggedAt = 0;

  constructor(
    private readonly source: CredentialSource,
    private readonly options: CredentialRegistryOptions,
  ) {}

  /** Starts the periodic refresh (the first fetch now); the timer never keeps the process alive. */
  start(): void {
    if (this.#timer) return;
    void this.refreshNow();
    this.#timer = setInterval(() => void this.refreshNow(), this.options.refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Whether one fetch has succeeded (a readiness check). */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Called with the ids whose status changed at a refresh (open sockets are closed by it). */
  onChange(listener: (changed: ReadonlySet<string>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The principal a verified token stands for now, or null when it no longer counts: its owner
   * deactivated, revoked or unknown, or (service accounts) a token id other than the current one.
   * Lotgraph's own callers are not identity's to judge (see {@link isIdentitys}). Throws SERVICE_UNAVAILABLE when no list
   * was ever fetched and identity cannot be reached.
   */
  async admit(principal: Principal, tokenId: string | null, issuedAt: Date | null): Promise<Principal | null> {
    if (!isIdentitys(principal)) return principal;
    let entry = this.#entries.get(principal.id);
    if (!entry && this.#mayKnowMore(issuedAt)) {
      await this.refreshNow();
      entry = this.#entries.get(principal.id);
    }
    if (!entry) {
      if (!this.#loaded)
        throw new DomainError("SERVICE_UNAVAILABLE", "sign-in cannot be checked right now: identity is unreachable");
      return null;
    }
    const { status } = entry;
    if (!status.active || status.kind !== principal.kind) return null;
    if (status.kind === "service-account") {
      if (status.tokenId !== tokenId) return null;
      this.#uses.set(status.id, new Date());
    }
    return entry.principal;
  }

  /** Whether a fetch could know a principal the list lacks: never loaded, or a token newer than the list. */
  #mayKnowMore(issuedAt: Date | null): boolean {
    if (!this.#loaded) return true;
    if (Date.now() - this.#lastFetchAt < UNKNOWN_REFETCH_MS) return false;
    return issuedAt !== null && issuedAt.getTime() >= this.#lastFetchStartedAt - ISSUE_CLOCK_MARGIN_MS;
  }

  /** Whether identity limits this principal to registered operations (trusted documents). */
  trustedDocumentsOnly(principalId: string): boolean {
    return this.#entries.get(principalId)?.status.trustedDocumentsOnly ?? false;
  }

  /** Fetches the list now; calls made while a fetch runs share it. */
  refreshNow(): Promise<void> {
    this.#fetching ??= this.#fetch().finally(() => (this.#fetching = null));
    return this.#fetching;
  }

  async #fetch(): Promise<void> {
    const startedAt = Date.now();
    const uses = [...this.#uses].map(([id, at]) => ({ id, at }));
    this.#uses = new Map();
    let statuses: CredentialStatus[];
    try {
      statuses = await this.source(uses);
    } catch (error) {
      // The uses go back for the next fetch, unless a newer use replaced them meanwhile.
      for (const use of uses) if (!this.#uses.has(use.id)) this.#uses.set(use.id, use.at);
      if (Date.now() - this.#lastFailureLoggedAt > 60_000) {
        this.#lastFailureLoggedAt = Date.now();
        this.options.logger.warn({ err: error }, "credential list not refreshed: identity unreachable");
      }
      return;
    }
    this.#replace(statuses, startedAt);
  }

  #replace(statuses: CredentialStatus[], startedAt: number): void {
    const next = new Map<string, Entry>();
    const changed = new Set<string>();
    for (const status of statuses) {
      const previous = this.#entries.get(status.id);
      if (previous && sameStatus(previous.status, status)) {
        next.set(status.id, previous);
        continue;
      }
      if (previous) changed.add(status.id);
      next.set(status.id, { status, principal: principalOf(status) });
    }
    for (const id of this.#entries.keys()) if (!next.has(id)) changed.add(id);
    this.#entries = next;
    this.#loaded = true;
    this.#lastFetchAt = Date.now();
    this.#lastFetchStartedAt = startedAt;
    if (changed.size === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(changed);
      } catch (error) {
        this.options.logger.error({ err: error }, "a credential change listener failed");
      }
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether identity issued this principal: a person or service account, with identity's uuid id.
 * Lotgraph signs callers of its own with the same secret, which only its processes hold: its
 * services (`internal`) and the live layer's per-role callers (`live:<roles>`, gateway/src/live).
 */
function isIdentitys(principal: Principal): boolean {
  return principal.kind !== "internal" && UUID.test(principal.id);
}

function principalOf(status: CredentialStatus): Principal {
  return Object.freeze({
    id: status.id,
    name: status.name,
    kind: status.kind,
    roles: Object.freeze([...status.roles]) as Role[],
  });
}

function sameStatus(a: CredentialStatus, b: CredentialStatus): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.active === b.active &&
    a.tokenId === b.tokenId &&
    a.trustedDocumentsOnly === b.trustedDocumentsOnly &&
    a.roles.length === b.roles.length &&
    a.roles.every((role, i) => role === b.roles[i])
  );
}
