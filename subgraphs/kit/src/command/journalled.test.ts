/**
 * Journalled commands against a real (in-memory PGlite) database: a peer's change first, then
 * the record here, once, whether the request or recovery completes it; a replay reloads the
 * stored ref; a refusal abandons the journalled write.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Principal } from "../auth/tokens.ts";
import type { PendingWrite } from "../db/pending-writes.ts";
import type { SqlExecutor } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { openKitTestDatabase, type KitTestDatabase } from "../testing/kit-db.ts";
import { completeJournalled, journalledCommand, type Journalled } from "./journalled.ts";

const MANAGER: Principal = { id: "u-1", name: "Mia Manager", kind: "user", roles: ["MANAGER"] };
const holdSchema = z.object({ lot: z.string().min(1), idempotencyKey: z.string().nullish() });

let kit: KitTestDatabase;
/** The kit database with the journal's client (outside any transaction). */
let db: KitTestDatabase & { client: SqlExecutor };
/** What the "peer" was asked, in order. */
let peerCalls: string[];
/** Makes the peer refuse the next call by its rule. */
let peerRefuses = false;

beforeAll(async () => {
  kit = await openKitTestDatabase("CREATE TABLE hold (id text PRIMARY KEY, lot text NOT NULL)");
  const client: SqlExecutor = {
    $queryRawUnsafe: <T>(query: string, ...values: unknown[]) => kit.driver.query(query, values) as Promise<T>,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await kit.driver.query(query, values)).length,
  };
  db = { ...kit, client };
  // Opening PGlite takes long on a busy machine.
}, 180_000);
afterAll(() => kit.close());

interface HoldWrite {
  holdId: string;
}

function completeHold(write: PendingWrite<Journalled<HoldWrite>>): Promise<{ id: string; lot: string }> {
  return completeJournalled(db, write, {
    name: "placeTestHold",
    call: async ({ holdId }) => {
      if (peerRefuses) throw new DomainError("LOT_UNAVAILABLE", "the peer refuses");
      peerCalls.push(holdId);
      return holdId;
    },
    run: async ({ tx, write: { input }, called, record }) => {
      const { lot } = input as { lot: string };
      await tx.$executeRawUnsafe("INSERT INTO hold (id, lot) VALUES ($1, $2)", called, lot);
      record.audit({ action: "hold.placed", entityType: "Hold", entityId: called });
      return called;
    },
    reload: (holdId) => loadHold(holdId),
  });
}

function placeHold(raw: unknown): Promise<{ id: string; lot: string }> {
  return journalledCommand(db, MANAGER, raw, {
    name: "placeTestHold",
    role: "MANAGER",
    input: holdSchema,
    journal: async (input) => ({ holdId: `hold-${input.lot}` }),
    complete: completeHold,
    reload: (holdId: string) => loadHold(holdId),
  });
}

async function loadHold(id: string): Promise<{ id: string; lot: string }> {
  const [row] = await kit.driver.query<{ id: string; lot: string }>("SELECT id, lot FROM hold WHERE id = $1", [id]);
  return row!;
}

const journal = (lot: string) =>
  kit.driver.query<{ outcome: string | null; payload: Journalled<HoldWrite> }>(
    "SELECT outcome, payload FROM pending_write WHERE payload->>'holdId' = $1",
    [`hold-${lot}`],
  );

describe("journalledCommand", () => {
  it("journals the write with its request, calls the peer, records once and completes the write", async () => {
    peerCalls = [];
    const hold = await placeHold({ lot: "L-1", idempotencyKey: "k-1" });
    expect(hold).toEqual({ id: "hold-L-1", lot: "L-1" });
    const [row] = await journal("L-1");
    expect(row).toMatchObject({ outcome: "completed", payload: { key: "k-1", input: { lot: "L-1" } } });
    expect(await placeHold({ lot: "L-1", idempotencyKey: "k-1" })).toEqual(hold);
    expect(peerCalls).toEqual(["hold-L-1"]);
  });

  it("completes a write left unfinished once, and a replay then gets its result", async () => {
    peerCalls = [];
    const write = {
      id: "00000000-0000-4000-8000-000000000001",
      operation: "placeTestHold",
      callerId: MANAGER.id,
      payload: { holdId: "hold-L-2", key: "k-2", input: { lot: "L-2" }, actor: { id: MANAGER.id, name: MANAGER.name } },
      attempts: 1,
    };
    await kit.driver.query(
      "INSERT INTO pending_write (id, operation, caller_id, payload, next_attempt_at) VALUES ($1::uuid, $2, $3, $4::jsonb, now())",
      [write.id, write.operation, write.callerId, JSON.stringify(write.payload)],
    );
    const [first, second] = await Promise.all([completeHold(write), completeHold(write)]);
    expect(second).toEqual(first);
    expect(await placeHold({ lot: "L-2", idempotencyKey: "k-2" })).toEqual(first);
    const [{ holds }] = (await kit.driver.query("SELECT count(*)::int AS holds FROM hold WHERE lot = 'L-2'")) as [
      { holds: number },
    ];
    expect(holds).toBe(1);
  });

  it("abandons the journalled write when the peer refuses by its rule, and records nothing", async () => {
    peerRefuses = true;
    try {
      await expect(placeHold({ lot: "L-3" })).rejects.toMatchObject({ code: "LOT_UNAVAILABLE" });
    } finally {
      peerRefuses = false;
    }
    const [row] = await journal("L-3");
    expect(row?.outcome).toBe("abandoned");
    expect(await loadHold("hold-L-3")).toBeUndefined();
  });
});
