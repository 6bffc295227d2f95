import type { SocketTarget } from "./socket-subscriber.ts";

/**
 * Where the frames of each graphql-ws subscription go, by subscriber id
 * (`<socket session>:<operation id>`). The socket layer registers a subscription when it
 * accepts its subscribe message and releases it when the subscription completes or the socket
 * closes; the live plugin looks the target up when it hands the subscription to the hub. Only
 * the id travels with the operation.
 */
export class SocketDeliveries {
  readonly #targets = new Map<string, SocketTarget>();

  register(subscriberId: string, target: SocketTarget): void {
    this.#targets.set(subscriberId, target);
  }

  release(subscriberId: string): void {
    this.#targets.delete(subscriberId);
  }

  targetOf(subscriberId: string): SocketTarget | undefined {
    return this.#targets.get(subscriberId);
  }

  /** Subscriptions registered now (tests). */
  get size(): number {
    return this.#targets.size;
  }
}

/** The id a subscription of a socket session is registered under. */
export function subscriberIdOf(sessionId: string, operationId: string): string {
  return `${sessionId}:${operationId}`;
}
