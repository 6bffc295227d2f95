import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP forwarder for fault injection: clients connect to the proxy, the proxy connects to the
 * target. `cut()` kills every live connection and refuses new ones (accepted and closed at
 * once) until `restore()`, which is what a network partition looks like to a client.
 */
export class TcpProxy {
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #cut = false;
  #port = 0;

  constructor(private readonly target: { host: string; port: number } = { host: "127.0.0.1", port: 4222 }) {}

  /** Listens on 127.0.0.1 on a free port; returns that port. */
  async start(): Promise<number> {
    const server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");
    this.#server = server;
    this.#port = address.port;
    return this.#port;
  }

  get port(): number {
    return this.#port;
  }

  /** Destroys all connections and refuses new ones. */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  restore(): void {
    this.#cut = false;
  }

  async stop(): Promise<void> {
    this.cut();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    if (this.#cut) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      // Either side failing takes the pair down, as a real broken link would.
      socket.on("error", () => undefined);
      socket.on("close", () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
