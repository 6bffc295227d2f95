import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

/** A graphql-ws connection as the live hub writes to it. */
export interface FrameSocket {
  /** The WebSocket's state, numbered as `ws` numbers it (1 is OPEN). */
  readonly readyState: number;
  /** Bytes queued in the socket that the kernel has not taken yet. */
  readonly bufferedAmount: number;
  /** Writes whole WebSocket frames, after every frame written before. */
  writeFrame(frame: Buffer): void;
}

/**
 * The live hub's view of a `ws` WebSocket: its state and backlog from `ws`, its frames written
 * straight to `transport`, the TCP (or TLS) socket the server's upgrade handed to `ws`.
 *
 * Writing under `ws` is safe only while `ws` itself writes every frame whole and at once. It does
 * so unless it compresses (permessage-deflate, which the gateway's WebSocket server turns off) or
 * sends a Blob (graphql-ws sends strings): then its sender queues frames, and a frame written
 * here could overtake them. The subscriber writes only while the WebSocket is OPEN, so never after
 * `ws` has sent its close frame. `ws`'s `bufferedAmount` counts the transport's unsent bytes, so a
 * slow client's backlog still shows.
 */
export function frameSocket(webSocket: WebSocket, transport: Duplex): FrameSocket {
  return {
    get readyState() {
      return webSocket.readyState;
    },
    get bufferedAmount() {
      return webSocket.bufferedAmount;
    },
    writeFrame(frame) {
      transport.write(frame);
    },
  };
}

/**
 * One WebSocket text frame as a server sends it (RFC 6455 §5.2): final, unmasked, opcode 1, with
 * `parts` back to back as its payload, built in one buffer so that it goes to the socket in one
 * write.
 *
 * The live hub frames its updates itself rather than through `ws`'s `send`: per subscriber
 * `send` allocates a header, corks the socket and writes header and payload as two chunks,
 * which at 1,000 subscribers per event cost the fan-out more than the frames' bytes
 * (docs/decisions/0010, the addendum on frames written by the hub).
 */
export function textFrame(parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const headerLength = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | TEXT_OPCODE; // FIN, no extension bits, text
  if (headerLength === 2) {
    frame[1] = length; // mask bit clear: servers never mask
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  let offset = headerLength;
  for (const part of parts) offset += part.copy(frame, offset);
  return frame;
}

const TEXT_OPCODE = 0x1;
