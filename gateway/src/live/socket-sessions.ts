import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import type { Principal, TokenService } from "@lotgraph/kit";
import type { SocketAdmission } from "./socket-admission.ts";
import { LIVE_CLOSE } from "./socket-limits.ts";

/** One signed-in socket: the session its connection_init opened, checked once, used by every operation. */
export interface SocketSession {
  /** Names the socket in subscriber ids (`<session id>:<operation id>`). */
  id: string;
  /** Who the socket's operations run as; replaced when identity changes their roles or name. */
  principal: Principal;
  /** The connection_init token, which the socket's subgraph fetches carry. */
  token: string;
  expiresAt: Date | null;
  /** Ids of the subscriptions open on the socket. */
  subscriptions: Set<string>;
}

/**
 * The sessions of signed-in sockets. A socket's token is verified once, when its connection_init
 * arrives (signature, claims, expiry and identity's credential list, by the same TokenService the
 * subgraphs use); every operation on the socket then runs as that session. A timer closes the
 * socket with 4403 when the token expires. When the credential list changes for a signed-in
 * principal, each of its sockets is checked again: closed with 4403 once its token no longer
 * counts (deactivated, revoked, rotated), or kept with the principal's new roles.
 */
export class SocketSessions {
  readonly #sessions = new WeakMap<WebSocket, SocketSession>();
  /** The open sockets of each principal, for credential changes. */
  readonly #byPrincipal = new Map<string, Set<WebSocket>>();
  readonly #stopFollowing: () => void;

  constructor(
    private readonly tokens: TokenService,
    private readonly admission: SocketAdmission,
  ) {
    this.#stopFollowing = tokens.registry?.onChange((changed) => void this.#recheck(changed)) ?? (() => undefined);
  }

  /** Stops following credential changes (the live layer is closing). */
  dispose(): void {
    this.#stopFollowing();
  }

  /**
   * Opens the session of `connection_init`'s token; null refuses the socket (graphql-ws then
   * closes it with 4403 before acknowledging anything, unless a cap closed it already).
   */
  async open(socket: WebSocket, token: string | null): Promise<SocketSession | null> {
    const verified = token ? await this.tokens.session(token) : null;
    if (!verified || !token) return null;
    // Closed while its token was checked: nothing to count (its close event has passed).
    if (socket.readyState !== socket.OPEN) return null;
    if (!this.admission.signIn(socket, verified.principal.id)) return null;
    const session: SocketSession = {
      id: randomUUID(),
      principal: verified.principal,
      token,
      expiresAt: verified.expiresAt,
      subscriptions: new Set(),
    };
    this.#sessions.set(socket, session);
    const principalId = verified.principal.id;
    const sockets = this.#byPrincipal.get(principalId) ?? new Set();
    sockets.add(socket);
    this.#byPrincipal.set(principalId, sockets);
    const expiry = verified.expiresAt ? expiryTimer(socket, verified.expiresAt) : null;
    socket.once("close", () => {
      if (expiry) clearTimeout(expiry);
      this.#sessions.delete(socket);
      sockets.delete(socket);
      if (sockets.size === 0 && this.#byPrincipal.get(principalId) === sockets) this.#byPrincipal.delete(principalId);
    });
    return session;
  }

  async #recheck(changed: ReadonlySet<string>): Promise<void> {
    for (const id of changed) {
      for (const socket of this.#byPrincipal.get(id) ?? []) {
        const session = this.#sessions.get(socket);
        if (!session) continue;
        const now = await this.tokens.session(session.token).catch(() => null);
        if (now) session.principal = now.principal;
        else socket.close(LIVE_CLOSE.forbidden, "credentials revoked");
      }
    }
  }

  /** The socket's session, or undefined before its connection_init was accepted. */
  of(socket: WebSocket): SocketSession | undefined {
    return this.#sessions.get(socket);
  }
}

/** Closes the socket with 4403 when its token expires. */
function expiryTimer(socket: WebSocket, expiresAt: Date): NodeJS.Timeout {
  // setTimeout cannot wait longer than about 24.8 days; longer tokens are re-checked on subscribe.
  const wait = Math.min(expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
  const timer = setTimeout(() => socket.close(LIVE_CLOSE.forbidden, "token expired"), wait);
  timer.unref();
  return timer;
}

/** The token of connection_init: `{ authorization: "Bearer …" }` (as HTTP) or `{ token: "…" }`. */
export function tokenOf(params: Record<string, unknown> | undefined): string | null {
  const authorization = params?.["authorization"] ?? params?.["Authorization"];
  if (typeof authorization === "string") return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
  const token = params?.["token"];
  return typeof token === "string" && token.length > 0 ? token : null;
}
