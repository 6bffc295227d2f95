import { randomBytes, randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Database, type DatabaseTarget } from "@lotgraph/kit";
import { dropSchemas } from "@lotgraph/kit/testing";
import { qualityStatusOf } from "../src/domain/lots.ts";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import type { QualityClient, QualityTx } from "../src/store/db.ts";
import { findQualityFacts } from "../src/store/lot-store.ts";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations");
const PREFIX = `qfacts${randomBytes(4).toString("hex")}`;

/** In-memory PGlite always; PostgreSQL too when DATABASE_URL is set (services mode). */
const targets: Array<[string, DatabaseTarget]> = [["PGlite", { kind: "pglite", dataDir: null }]];
if (process.env.DATABASE_URL) {
  targets.push(["PostgreSQL", { kind: "postgres", url: process.env.DATABASE_URL, schema: `${PREFIX}_quality` }]);
}

describe.each(targets)("a lot's quality facts, read in one query (%s)", (_name, target) => {
  let db: Database<QualityClient, QualityTx>;
  let gateId: string;

  beforeAll(async () => {
    db = await Database.open<QualityClient, QualityTx>({
      target,
      migrationsDir: MIGRATIONS,
      createClient: (adapter) => new PrismaClient({ adapter }),
    });
    gateId = randomUUID();
    await db.client.qcGate.create({
      data: {
        id: gateId,
        name: "Final",
        blocking: true,
        criticalControlPoint: false,
        createdById: "u",
        createdByName: "U",
      },
    });
  });
  afterAll(async () => {
    await db?.close();
    if (target.kind === "postgres") await dropSchemas(PREFIX, target.url);
  });

  const decide = (lotId: string, result: "PASS" | "HOLD" | "FAIL", decidedAt: Date, id = randomUUID()) =>
    db.client.qcDecision.create({
      data: { id, gateId, lotId, result, decidedAt, decidedById: "u", decidedByName: "U" },
    });
  const hold = (lotId: string, releasedAt: Date | null, id = randomUUID()) =>
    db.client.hold.create({
      data: { id, placementId: id, lotId, reason: "check", placedById: "u", placedByName: "U", releasedAt },
    });
  const statusOf = async (lotId: string) => {
    const facts = (await findQualityFacts(db.client, [lotId])).get(lotId);
    return facts && qualityStatusOf(facts);
  };

  it("answers every lot asked for, known to quality or not", async () => {
    const passed = randomUUID();
    await decide(passed, "PASS", new Date("2026-01-01T10:00:00Z"));
    const unknown = randomUUID();
    const facts = await findQualityFacts(db.client, [passed, unknown]);
    expect(facts.get(passed)).toEqual({ activeHold: false, latestResult: "PASS" });
    expect(facts.get(unknown)).toEqual({ activeHold: false, latestResult: null });
  });

  it("takes the latest decision, by time and then by id when two share a millisecond", async () => {
    const lot = randomUUID();
    await decide(lot, "FAIL", new Date("2026-01-01T10:00:00Z"));
    await decide(lot, "PASS", new Date("2026-01-01T11:00:00Z"));
    expect(await statusOf(lot)).toBe("PASSED");

    const tied = randomUUID();
    const at = new Date("2026-01-02T10:00:00Z");
    await decide(tied, "FAIL", at, "00000000-0000-4000-8000-000000000002");
    await decide(tied, "PASS", at, "00000000-0000-4000-8000-000000000001");
    expect(await statusOf(tied)).toBe("REJECTED");
  });

  it("is ON_HOLD while any hold is active, whatever the decisions say; released holds do not count", async () => {
    const lot = randomUUID();
    await decide(lot, "PASS", new Date("2026-01-03T10:00:00Z"));
    await hold(lot, new Date("2026-01-03T11:00:00Z"));
    expect(await statusOf(lot)).toBe("PASSED");
    await hold(lot, null);
    expect(await statusOf(lot)).toBe("ON_HOLD");
  });

  it("is PENDING after a HOLD decision whose hold was released", async () => {
    const lot = randomUUID();
    await decide(lot, "HOLD", new Date("2026-01-04T10:00:00Z"));
    await hold(lot, new Date("2026-01-04T12:00:00Z"));
    expect(await statusOf(lot)).toBe("PENDING");
  });
});
