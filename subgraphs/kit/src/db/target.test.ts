import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnv } from "../env.ts";
import { databaseTarget } from "./target.ts";

describe("where a subgraph keeps its data", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const embedded = () => {
    const dir = mkdtempSync(join(tmpdir(), "target-"));
    dirs.push(dir);
    return { dir, env: loadEnv({ LOTGRAPH_DATA_DIR: dir }) };
  };

  it("embedded: a schema of the one engine the process shares", () => {
    const { dir, env } = embedded();
    expect(databaseTarget(env, "inventory")).toEqual({
      kind: "pglite",
      dataDir: join(dir, "pglite"),
      schema: "lotgraph_inventory",
    });
  });

  it("embedded, a subgraph alone in its process: a directory of its own", () => {
    const { dir, env } = embedded();
    expect(databaseTarget(env, "quality", undefined, "own-directory")).toEqual({
      kind: "pglite",
      dataDir: join(dir, "quality"),
    });
  });

  it("embedded, data written before the shared engine: stays where it is", () => {
    const { dir, env } = embedded();
    mkdirSync(join(dir, "inventory"));
    writeFileSync(join(dir, "inventory", "PG_VERSION"), "17\n");
    expect(databaseTarget(env, "inventory")).toEqual({ kind: "pglite", dataDir: join(dir, "inventory") });
    mkdirSync(join(dir, "pglite"));
    expect(databaseTarget(env, "inventory")).toMatchObject({ dataDir: join(dir, "pglite") });
  });

  it("services: the subgraph's schema in the shared PostgreSQL database", () => {
    const env = loadEnv({
      DATABASE_URL: "postgres://db/lotgraph",
      NATS_URL: "nats://bus:4222",
      LOTGRAPH_JWT_SECRET: "a".repeat(64),
    });
    expect(databaseTarget(env, "production", "test_1")).toEqual({
      kind: "postgres",
      url: "postgres://db/lotgraph",
      schema: "test_1_production",
    });
  });
});
