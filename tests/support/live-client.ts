import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { GraphQLErrorShape, GraphQLResponse } from "./graphql-client.ts";
import { waitFor } from "./wait.ts";

/** How a socket ended, as the client saw it. */
export interface Closed {
  code: number;
  reason: string;
}

/**
 * A graphql-ws connection for tests, to the gateway's /graphql. It does not retry, so a refused
 * connection shows up as its close code instead of being hidden by reconnects.
 */
export class LiveTestClient {
  readonly client: Client;
  closed: Closed | null = null;

  constructor(httpUrl: string, connectionParams: Record<string, unknown> | null) {
    this.client = createClient({
      url: httpUrl.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: connectionParams ?? undefined,
      retryAttempts: 0,
      lazy: false,
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          this.closed = { code, reason: String(reason) };
        },
      },
      onNonLazyError: () => undefined,
    });
  }

  static withToken(httpUrl: string, token: string): LiveTestClient {
    return new LiveTestClient(httpUrl, { authorization: `Bearer ${token}` });
  }

  /** Opens a subscription that records every payload it receives. */
  subscribe<T>(query: string, variables: Record<string, unknown> = {}): Subscription<T> {
    const subscription = new Subscription<T>();
    subscription.unsubscribe = this.client.subscribe<T>(
      { query, variables },
      {
        next: (result) => void subscription.results.push(result as GraphQLResponse<T>),
        error: (error) => {
          subscription.error = Array.isArray(error)
            ? (error as GraphQLErrorShape[])
            : [{ message: error instanceof Error ? error.message : String(error) }];
        },
        complete: () => void (subscription.completed = true),
      },
    );
    return subscription;
  }

  async waitClosed(timeoutMs = 10_000): Promise<Closed> {
    await waitFor("the socket to close", () => this.closed !== null, { timeoutMs });
    return this.closed!;
  }

  dispose(): Promise<void> {
    return Promise.resolve(this.client.dispose());
  }
}

export class Subscription<T> {
  readonly results: Array<GraphQLResponse<T>> = [];
  error: GraphQLErrorShape[] | null = null;
  completed = false;
  unsubscribe: () => void = () => undefined;

  /** The data of every payload so far (fails on a payload with errors). */
  get data(): T[] {
    return this.results.map((result) => {
      if (result.errors?.length || !result.data) throw new Error(`payload with errors: ${JSON.stringify(result)}`);
      return result.data;
    });
  }

  async waitForCount(count: number, timeoutMs = 15_000): Promise<T[]> {
    await waitFor(
      `${count} payloads (have ${this.results.length})`,
      () => this.results.length >= count || this.error !== null,
      {
        timeoutMs,
      },
    );
    if (this.error) throw new Error(`subscription failed: ${JSON.stringify(this.error)}`);
    return this.data;
  }

  /** Waits until a payload satisfies `predicate`; returns every payload up to it. */
  async waitUntil(description: string, predicate: (data: T) => boolean, timeoutMs = 15_000): Promise<T[]> {
    await waitFor(description, () => this.error !== null || this.results.some((r) => r.data && predicate(r.data)), {
      timeoutMs,
    });
    if (this.error) throw new Error(`subscription failed: ${JSON.stringify(this.error)}`);
    const data = this.data;
    return data.slice(0, data.findIndex(predicate) + 1);
  }
}
