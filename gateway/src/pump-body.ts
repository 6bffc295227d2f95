import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/**
 * Copies a fetch body to a Node response with backpressure, through `pipeline`: a client that
 * leaves mid-download destroys the response, and pipeline then cancels the upstream body, so the
 * subgraph stops producing. (A hand-written read loop that raced `drain` against `close` left a
 * listener behind per full buffer and warned of a leak on large downloads.)
 *
 * Resolves when the body is sent or the client left; rejects only when the upstream failed.
 */
export async function pumpBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), res);
  } catch (error) {
    if (clientLeft(error, res)) return;
    throw error;
  }
}

function clientLeft(error: unknown, res: ServerResponse): boolean {
  return (error as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE" && res.destroyed && !res.writableFinished;
}
