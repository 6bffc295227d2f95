import type { Writable } from "node:stream";
import * as ws from "ws";
import type { FrameSocket } from "./ws-frames.ts";

/** `ws`'s frame parser, which @types/ws does not declare: a stream that emits each message. */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

/**
 * For tests: a socket that records the messages the hub writes to it, read back by `ws`'s own
 * frame parser as a client would read them, with a state and a backlog the test sets.
 */
export class RecordingFrameSocket implements FrameSocket {
  readyState = 1;
  bufferedAmount = 0;
  /** Text of every message received, in order. */
  readonly sent: string[] = [];
  readonly #receiver = new Receiver({ isServer: false });

  constructor() {
    this.#receiver.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) throw new Error("graphql-ws messages are text frames");
      this.sent.push(data.toString("utf8"));
    });
    this.#receiver.on("error", (error: Error) => {
      throw error;
    });
  }

  writeFrame(frame: Buffer): void {
    this.#receiver.write(frame);
  }

  get messages(): unknown[] {
    return this.sent.map((text) => JSON.parse(text) as unknown);
  }
}
