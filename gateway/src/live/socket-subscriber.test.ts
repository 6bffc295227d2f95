import { GraphQLError, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { SocketSubscriber } from "./socket-subscriber.ts";
import { RecordingFrameSocket } from "./testing.ts";
import type { FrameSocket } from "./ws-frames.ts";

const tooSlow: ExecutionResult = {
  errors: [new GraphQLError("too slow", { extensions: { code: "SUBSCRIBER_TOO_SLOW" } })],
};

function subscriber(socket: FrameSocket, id = "sub-1", maxBufferedBytes = 1_000) {
  const ends: string[] = [];
  const created = new SocketSubscriber(
    { socket, id },
    maxBufferedBytes,
    () => tooSlow,
    () => ends.push(id),
  );
  return { subscriber: created, ends };
}

describe("SocketSubscriber", () => {
  it("writes each update as the graphql-ws next message of its subscription, in order", () => {
    const socket = new RecordingFrameSocket();
    const { subscriber: sub } = subscriber(socket, "7");
    expect(sub.push({ data: { lotChanged: { code: "F-1" } } })).toBe(true);
    expect(sub.push({ data: null, errors: [new GraphQLError("gone", { extensions: { code: "NOT_FOUND" } })] })).toBe(
      true,
    );
    expect(socket.messages).toEqual([
      { id: "7", type: "next", payload: { data: { lotChanged: { code: "F-1" } } } },
      {
        id: "7",
        type: "next",
        payload: { data: null, errors: [{ message: "gone", extensions: { code: "NOT_FOUND" } }] },
      },
    ]);
  });

  it("serializes a result once for every subscriber it goes to", () => {
    let serialized = 0;
    const result: ExecutionResult = {
      data: { lotChanged: { toJSON: () => (serialized++, { code: "F-1" }) } },
    };
    const sockets = Array.from({ length: 3 }, () => new RecordingFrameSocket());
    sockets.forEach((socket, i) => subscriber(socket, `s${i}`).subscriber.push(result));
    expect(serialized).toBe(1);
    expect(sockets.map((socket) => socket.messages)).toEqual(
      ["s0", "s1", "s2"].map((id) => [{ id, type: "next", payload: { data: { lotChanged: { code: "F-1" } } } }]),
    );
  });

  it("ends, once, when its socket is no longer open", async () => {
    const socket = new RecordingFrameSocket();
    const { subscriber: sub, ends } = subscriber(socket);
    const pending = sub.next();
    socket.readyState = 3; // CLOSED
    expect(sub.push({ data: { n: 1 } })).toBe(false);
    expect(sub.push({ data: { n: 2 } })).toBe(false);
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(socket.sent).toEqual([]);
    expect(ends).toEqual(["sub-1"]);
  });

  it("tells a client whose socket backs up that it was too slow, then ends", async () => {
    const socket = new RecordingFrameSocket();
    const { subscriber: sub, ends } = subscriber(socket, "9", 1_000);
    sub.push({ data: { n: 1 } });
    socket.bufferedAmount = 1_001;
    expect(sub.push({ data: { n: 2 } })).toBe(false);
    expect(socket.messages).toEqual([
      { id: "9", type: "next", payload: { data: { n: 1 } } },
      {
        id: "9",
        type: "next",
        payload: { errors: [{ message: "too slow", extensions: { code: "SUBSCRIBER_TOO_SLOW" } }] },
      },
    ]);
    expect(sub.ended).toBe(true);
    expect(ends).toEqual(["9"]);
    await expect(sub.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("ends when the transport returns it (the client completed, or the socket closed)", async () => {
    const socket = new RecordingFrameSocket();
    const { subscriber: sub, ends } = subscriber(socket);
    const pending = sub.next();
    await expect(sub.return()).resolves.toEqual({ value: undefined, done: true });
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(sub.push({ data: { n: 1 } })).toBe(false);
    expect(ends).toEqual(["sub-1"]);
  });
});
