import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { serve, type RunningServer } from "./serve.ts";

describe("serve's extra routes", () => {
  let server: RunningServer;
  const answer = (body: string) => (_req: unknown, res: ServerResponse) => void res.end(body);

  beforeAll(async () => {
    server = await serve({
      name: "routes",
      port: 0,
      host: "127.0.0.1",
      logger: createLogger("silent", "serve-test"),
      handler: answer("handler"),
      routes: {
        "/exports/audit.csv": answer("exact"),
        "/exports/evidence/": answer("evidence"),
        "/exports/evidence/special/": answer("longer prefix"),
      },
    });
  });
  afterAll(() => server.close());

  const get = async (path: string) => (await fetch(`http://127.0.0.1:${server.port}${path}`)).text();

  it("serves a path by its exact route, else by the longest prefix ending in /, else the handler", async () => {
    expect(await get("/exports/audit.csv?from=2026-01-01")).toBe("exact");
    expect(await get("/exports/evidence/0b6c.zip")).toBe("evidence");
    expect(await get("/exports/evidence/special/x.zip")).toBe("longer prefix");
    // The key itself is its route's too (which answers what it makes of it); what merely starts
    // like it is not under it.
    expect(await get("/exports/evidence/")).toBe("evidence");
    expect(await get("/exports/evidence")).toBe("handler");
    expect(await get("/exports/evidencex/1.zip")).toBe("handler");
    expect(await get("/exports/audit.csv/more")).toBe("handler");
  });
});
