import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import { Counter } from "./counter.ts";
import { LIVE_CLOSE, type LiveSocketLimits } from "./socket-limits.ts";
import { frameSocket, type FrameSocket } from "./ws-frames.ts";

/**
 * Admits WebSockets at the HTTP upgrade: the path, the process's cap, the caps per address (all
 * sockets, and those not signed in yet, counted apart) and, once signed in, per principal. A
 * socket over a cap is accepted and closed at once with 1013, so the client reads why.
 */
export class SocketAdmission {
  readonly #perAddress = new Counter();
  readonly #unauthenticatedPerAddress = new Counter();
  readonly #perPrincipal = new Counter();
  /** The address of each socket admitted and not yet signed in, while it is open. */
  readonly #waiting = new Map<WebSocket, string>();
  /** Each socket as the live hub writes to it: its frames go straight to the upgraded connection. */
  readonly #frameSockets = new WeakMap<WebSocket, FrameSocket>();
  #closing = false;

  constructor(
    private readonly wss: WebSocketServer,
    private readonly path: string,
    private readonly limits: LiveSocketLimits,
  ) {}

  /** The server's `upgrade` listener. */
  readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if ((request.url ?? "/").split("?")[0] !== this.path) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.#frameSockets.set(ws, frameSocket(ws, socket));
      const refusal = this.#refusal(request);
      if (refusal) return ws.close(refusal.code, refusal.reason);
      this.#admit(ws, request.socket.remoteAddress ?? "unknown");
      this.wss.emit("connection", ws, request);
    });
  };

  /** Why a new socket is closed at once, or null when it may go on to connection_init. */
  #refusal(request: IncomingMessage): { code: number; reason: string } | null {
    if (this.#closing) return { code: LIVE_CLOSE.goingAway, reason: "the gateway is shutting down" };
    // The new socket is already counted in wss.clients.
    if (this.wss.clients.size > this.limits.maxConnections) {
      return { code: LIVE_CLOSE.tryAgainLater, reason: "too many connections on this gateway; retry later" };
    }
    const address = request.socket.remoteAddress ?? "unknown";
    if (this.#perAddress.count(address) >= this.limits.maxConnectionsPerAddress) {
      return { code: LIVE_CLOSE.tryAgainLater, reason: "too many connections from this address; retry later" };
    }
    if (this.#unauthenticatedPerAddress.count(address) >= this.limits.maxUnauthenticatedPerAddress) {
      return { code: LIVE_CLOSE.tryAgainLater, reason: "too many connections waiting to sign in from this address" };
    }
    return null;
  }

  #admit(ws: WebSocket, address: string): void {
    this.#perAddress.add(address);
    this.#unauthenticatedPerAddress.add(address);
    this.#waiting.set(ws, address);
    ws.once("close", () => {
      this.#perAddress.remove(address);
      if (this.#waiting.delete(ws)) this.#unauthenticatedPerAddress.remove(address);
    });
  }

  /**
   * Counts a socket whose connection_init was accepted against its principal's cap; over it, the
   * socket is closed with 1013 and false returned. Signed in, it no longer counts as waiting.
   */
  signIn(ws: WebSocket, principalId: string): boolean {
    if (this.#perPrincipal.count(principalId) >= this.limits.maxConnectionsPerPrincipal) {
      ws.close(LIVE_CLOSE.tryAgainLater, "too many connections for this account; close some, then retry");
      return false;
    }
    const address = this.#waiting.get(ws);
    if (address !== undefined) {
      this.#waiting.delete(ws);
      this.#unauthenticatedPerAddress.remove(address);
    }
    this.#perPrincipal.add(principalId);
    ws.once("close", () => this.#perPrincipal.remove(principalId));
    return true;
  }

  /** The socket as the hub writes frames to it (every socket admitted has one). */
  frameSocketOf(ws: WebSocket): FrameSocket {
    const frames = this.#frameSockets.get(ws);
    if (!frames) throw new Error("a graphql-ws socket that did not come through the gateway's upgrade");
    return frames;
  }

  /** New sockets are closed with 1001 from now on. */
  close(): void {
    this.#closing = true;
  }
}
