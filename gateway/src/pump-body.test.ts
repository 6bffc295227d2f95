import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { pumpBody } from "./pump-body.ts";

const CHUNK = 64 * 1024;

/** A body of `chunks` 64 KiB chunks, made as they are read; `cancelled` settles when its reader gives up. */
function upstreamBody(chunks: number, options: { failAt?: number } = {}) {
  let sent = 0;
  let onCancel!: () => void;
  const cancelled = new Promise<void>((resolve) => (onCancel = resolve));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === options.failAt) return controller.error(new Error("upstream broke"));
      if (sent === chunks) return controller.close();
      controller.enqueue(new Uint8Array(CHUNK).fill(sent++ % 251));
    },
    cancel: () => onCancel(),
  });
  return { body, cancelled, sentChunks: () => sent };
}

describe("pumpBody", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** Serves one body through pumpBody; `outcome` settles with what pumpBody did. */
  async function serveOnce(body: ReadableStream<Uint8Array>) {
    let settle!: (value: unknown) => void;
    const outcome = new Promise((resolve) => (settle = resolve));
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      pumpBody(body, res).then(
        () => settle("sent"),
        (error: Error) => {
          settle(error.message);
          res.destroy();
        },
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, outcome };
  }

  it("sends a large body whole to a slow reader, without piling up listeners", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const { body } = upstreamBody(256); // 16 MiB: many full socket buffers
      const { url, outcome } = await serveOnce(body);
      const received = await new Promise<number>((resolve, reject) => {
        get(url, (res) => {
          let bytes = 0;
          res.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
            // Read slowly, so that the server meets backpressure again and again.
            res.pause();
            setTimeout(() => res.resume(), 1);
          });
          res.on("end", () => resolve(bytes));
          res.on("error", reject);
        }).on("error", reject);
      });
      expect(received).toBe(256 * CHUNK);
      expect(await outcome).toBe("sent");
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("stops reading upstream when the client leaves mid-download", async () => {
    const upstream = upstreamBody(10_000); // 625 MiB if nobody stopped it
    const { url, outcome } = await serveOnce(upstream.body);
    await new Promise<void>((resolve, reject) => {
      const request = get(url, (res) => res.once("data", () => (request.destroy(), resolve())));
      request.on("error", () => undefined);
      request.on("close", () => resolve());
      setTimeout(() => reject(new Error("no data")), 10_000);
    });
    await upstream.cancelled;
    expect(await outcome).toBe("sent");
    expect(upstream.sentChunks()).toBeLessThan(10_000);
  });

  it("rejects when the upstream body fails, for the caller to cut the response", async () => {
    const { body } = upstreamBody(100, { failAt: 3 });
    const { url, outcome } = await serveOnce(body);
    await new Promise<void>((resolve) => {
      get(url, (res) => {
        res.resume();
        res.on("close", () => resolve());
        res.on("error", () => resolve());
      }).on("error", () => resolve());
    });
    expect(await outcome).toBe("upstream broke");
  });
});
