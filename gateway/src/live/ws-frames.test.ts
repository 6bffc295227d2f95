import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { frameSocket, textFrame, type FrameSocket } from "./ws-frames.ts";

/** A `ws` server behind an HTTP server's upgrade, as the gateway has it, and one `ws` client. */
async function connectedPair(): Promise<{
  server: Server;
  frames: FrameSocket;
  serverSide: WebSocket;
  client: WebSocket;
}> {
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const accepted = new Promise<{ frames: FrameSocket; serverSide: WebSocket }>((resolve) => {
    server.on("upgrade", (request, socket, head) =>
      wss.handleUpgrade(request, socket, head, (ws) => resolve({ frames: frameSocket(ws, socket), serverSide: ws })),
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await once(client, "open");
  const pair = { server, ...(await accepted), client };
  opened.push(pair);
  return pair;
}

function received(client: WebSocket, count: number): Promise<Array<{ text: string; isBinary: boolean }>> {
  const messages: Array<{ text: string; isBinary: boolean }> = [];
  return new Promise((resolve, reject) => {
    client.on("error", reject);
    client.on("close", (code) => reject(new Error(`the client was closed with ${code}`)));
    client.on("message", (data: Buffer, isBinary) => {
      messages.push({ text: data.toString("utf8"), isBinary });
      if (messages.length === count) resolve(messages);
    });
  });
}

const opened: Array<{ server: Server; serverSide: WebSocket; client: WebSocket }> = [];
afterEach(async () => {
  for (const { server, serverSide, client } of opened.splice(0)) {
    client.terminate();
    serverSide.terminate(); // upgraded sockets are no longer the HTTP server's to close
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("frames written under ws", () => {
  it("arrive at a ws client as text messages, in order with ws's own, at every length encoding", async () => {
    const { frames, serverSide, client } = await connectedPair();
    // 7-bit, 16-bit and 64-bit payload lengths, and the edges between them.
    const lengths = [0, 1, 125, 126, 65_535, 65_536, 300_000];
    const texts = lengths.map((length, i) => "é".repeat(Math.floor(length / 2)) + "x".repeat(length % 2) + `#${i}`);
    const arriving = received(client, texts.length * 2);
    texts.forEach((text, i) => {
      const [head, tail] = [Buffer.from(text.slice(0, 3)), Buffer.from(text.slice(3))];
      frames.writeFrame(textFrame([head, tail])); // one frame from parts
      serverSide.send(`ws ${i}`); // interleaved with frames ws writes itself
    });
    const messages = await arriving;
    expect(messages.every((message) => !message.isBinary)).toBe(true);
    expect(messages.map((message) => message.text)).toEqual(texts.flatMap((text, i) => [text, `ws ${i}`]));
  });

  it("show in the WebSocket's state and backlog as ws reports them", async () => {
    const { frames, serverSide, client } = await connectedPair();
    expect(frames.readyState).toBe(WebSocket.OPEN);
    client.pause(); // the client stops reading: what the server writes piles up
    const chunk = textFrame([Buffer.alloc(1 << 20, "a")]);
    for (let i = 0; i < 64 && frames.bufferedAmount === 0; i++) frames.writeFrame(chunk);
    // ws counts the bytes written beneath it, so the hub sees a client that stopped reading.
    expect(frames.bufferedAmount).toBeGreaterThan(0);
    serverSide.terminate();
    await once(serverSide, "close");
    expect(frames.readyState).toBe(WebSocket.CLOSED);
  });
});
