/**
 * The mutation envelope against a real (in-memory PGlite) database: what a refused, invalid,
 * failing, replayed and concurrent command leaves behind in the business table, the audit log
 * and the outbox.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Principal } from "../auth/tokens.ts";
import { runAsCaller } from "../db/idempotency.ts";
import type { SqlExecutor } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { SUBJECTS } from "../events/subjects.ts";
import { openKitTestDatabase, type KitTestDatabase } from "../testing/kit-db.ts";
import { command } from "./command.ts";
import type { CommandRecorder } from "./recorder.ts";

const OPERATOR: Principal = { id: "u-1", name: "Olga Operator", kind: "user", roles: ["OPERATOR"] };
const VIEWER: Principal = { id: "u-2", name: "Vic Viewer", kind: "user", roles: ["VIEWER"] };

const receiveSchema = z.object({
  code: z.string().min(1),
  quantity: z.number().positive(),
  idempotencyKey: z.string().nullish(),
});

interface Receipt {
  id: number;
  code: string;
  quantity: number;
}

// One database for the file (opening PGlite is slow): each test counts what it added itself,
// and uses codes and keys of its own.
let db: KitTestDatabase;
/** How many times the body ran in this test. */
let runs: number;
/** The table counts when this test started. */
let start: Counts;
let testNo = 0;
/** A code or key no other test uses. */
let own: (name: string) => string;

beforeAll(async () => {
  db = await openKitTestDatabase(
    "CREATE TABLE receipt (id serial PRIMARY KEY, code text NOT NULL UNIQUE, quantity int NOT NULL)",
  );
  // Opening PGlite takes long on a busy machine.
}, 180_000);
afterAll(() => db.close());
beforeEach(async () => {
  runs = 0;
  start = await counts();
  const prefix = `t${++testNo}-`;
  own = (name) => prefix + name;
});

/** A receiving mutation written with `command`: one row, one audit entry, one event. */
function receive(caller: Principal | null, raw: unknown, fail?: Error): Promise<Receipt> {
  return command(db, caller, raw, {
    name: "receive",
    role: "OPERATOR",
    input: receiveSchema,
    async run({ tx, input, record }) {
      runs++;
      const id = await insertReceipt(tx, input.code, input.quantity);
      // Recorded events are typed by the catalogue: any subject whose payload may be left out serves.
      record.event({ subject: SUBJECTS.identity.userCreated, entityType: "Receipt", entityId: String(id) });
      record.audit({ action: "receipt.created", entityType: "Receipt", entityId: String(id), after: input });
      if (fail) throw fail;
      return id;
    },
    reload: (id, { tx }) => loadReceipt(tx, id),
  });
}

async function insertReceipt(tx: SqlExecutor, code: string, quantity: number): Promise<number> {
  const [row] = await tx.$queryRawUnsafe<Array<{ id: number }>>(
    "INSERT INTO receipt (code, quantity) VALUES ($1, $2) RETURNING id",
    code,
    quantity,
  );
  return row!.id;
}

async function loadReceipt(tx: SqlExecutor, id: number): Promise<Receipt> {
  const [row] = await tx.$queryRawUnsafe<Receipt[]>("SELECT id, code, quantity FROM receipt WHERE id = $1", id);
  return row!;
}

interface Counts {
  receipts: number;
  audits: number;
  events: number;
}

/** Rows of the business table, the audit log and the outbox. */
async function counts(): Promise<Counts> {
  const [row] = await db.driver.query<Counts>(
    `SELECT (SELECT count(*)::int FROM receipt) AS receipts,
            (SELECT count(*)::int FROM audit_log) AS audits,
            (SELECT count(*)::int FROM outbox) AS events`,
  );
  return row!;
}

/** Rows this test added to each table. */
async function added(): Promise<Counts> {
  const now = await counts();
  return {
    receipts: now.receipts - start.receipts,
    audits: now.audits - start.audits,
    events: now.events - start.events,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof DomainError ? error.code : undefined;
}

describe("command", () => {
  it("writes the body's row, its audit entry and its event together and returns the reloaded result", async () => {
    const receipt = await receive(OPERATOR, { code: own("R-1"), quantity: 5 });
    expect(receipt).toEqual({ id: expect.any(Number), code: own("R-1"), quantity: 5 });
    expect(await added()).toEqual({ receipts: 1, audits: 1, events: 1 });
    const [audit] = await db.driver.query<{ actor_id: string; actor_name: string; entity_id: string }>(
      "SELECT actor_id, actor_name, entity_id FROM audit_log ORDER BY seq DESC LIMIT 1",
    );
    expect(audit).toEqual({ actor_id: OPERATOR.id, actor_name: OPERATOR.name, entity_id: String(receipt.id) });
  });

  it("refuses a caller without the role and changes nothing", async () => {
    expect(await codeOf(receive(VIEWER, { code: own("R-1"), quantity: 5 }))).toBe("FORBIDDEN");
    expect(await codeOf(receive(null, { code: own("R-1"), quantity: 5 }))).toBe("UNAUTHENTICATED");
    expect(runs).toBe(0);
    expect(await added()).toEqual({ receipts: 0, audits: 0, events: 0 });
  });

  it("refuses bad input as BAD_USER_INPUT and changes nothing", async () => {
    expect(await codeOf(receive(OPERATOR, { code: "", quantity: -1 }))).toBe("BAD_USER_INPUT");
    expect(runs).toBe(0);
    expect(await added()).toEqual({ receipts: 0, audits: 0, events: 0 });
  });

  it("replays the same key and input: the reloaded result, without running the body again", async () => {
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    const first = await receive(OPERATOR, input);
    const replay = await receive(OPERATOR, input);
    expect(replay).toEqual(first);
    expect(runs).toBe(1);
    expect(await added()).toEqual({ receipts: 1, audits: 1, events: 1 });
  });

  it("reloads a replay as it is now, not as JSON stored at the first call", async () => {
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    const first = await receive(OPERATOR, input);
    await db.driver.query("UPDATE receipt SET quantity = 7 WHERE id = $1", [first.id]);
    expect(await receive(OPERATOR, input)).toEqual({ ...first, quantity: 7 });
    const [stored] = await db.driver.query<{ response: unknown }>(
      "SELECT response FROM idempotency_key WHERE key = $1",
      [input.idempotencyKey],
    );
    expect(stored?.response).toBe(first.id);
  });

  it("answers CONFLICT to the same key with another input, and changes nothing", async () => {
    await receive(OPERATOR, { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") });
    expect(await codeOf(receive(OPERATOR, { code: own("R-1"), quantity: 6, idempotencyKey: own("k-1") }))).toBe(
      "CONFLICT",
    );
    expect(runs).toBe(1);
    expect(await added()).toEqual({ receipts: 1, audits: 1, events: 1 });
  });

  it("runs the body on every call without a key", async () => {
    await receive(OPERATOR, { code: own("R-1"), quantity: 5 });
    await receive(OPERATOR, { code: own("R-2"), quantity: 5 });
    expect(runs).toBe(2);
    expect(await added()).toEqual({ receipts: 2, audits: 2, events: 2 });
  });

  it("rolls back the row, the audit entry, the event and the key when the body throws", async () => {
    const failure = new DomainError("CONFLICT", "refused after writing");
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    await expect(receive(OPERATOR, input, failure)).rejects.toBe(failure);
    expect(await added()).toEqual({ receipts: 0, audits: 0, events: 0 });
    // The key was not taken: a retry runs the body.
    await receive(OPERATOR, input);
    expect(runs).toBe(2);
    expect(await added()).toEqual({ receipts: 1, audits: 1, events: 1 });
  });

  it("runs the body once for two concurrent calls with one key, and both get the result", async () => {
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    const [a, b] = await Promise.all([receive(OPERATOR, input), receive(OPERATOR, input)]);
    expect(a).toEqual(b);
    expect(runs).toBe(1);
    expect(await added()).toEqual({ receipts: 1, audits: 1, events: 1 });
  });

  it("keeps keys per caller: another caller's same key is a call of its own", async () => {
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    await runAsCaller(OPERATOR.id, () => receive(OPERATOR, input));
    const other: Principal = { ...OPERATOR, id: "u-3", name: "Otto Operator" };
    await runAsCaller(other.id, () => receive(other, { ...input, code: own("R-2") }));
    expect(runs).toBe(2);
  });

  it("recognises a replay before `prepare`, so the work outside the transaction runs once", async () => {
    let prepared = 0;
    const call = (raw: unknown) =>
      command(db, OPERATOR, raw, {
        name: "receiveAfterCheck",
        role: ["MANAGER", "OPERATOR"],
        input: receiveSchema,
        prepare: async (input) => {
          prepared++;
          return input.quantity * 2;
        },
        run: async ({ tx, input, prepared: doubled }) => {
          runs++;
          return insertReceipt(tx, input.code, doubled);
        },
        reload: (id, { tx }) => loadReceipt(tx, id),
      });
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    const first = await call(input);
    expect(await call(input)).toEqual(first);
    expect(first.quantity).toBe(10);
    expect({ prepared, runs }).toEqual({ prepared: 1, runs: 1 });
    expect(await codeOf(call({ ...input, quantity: 6 }))).toBe("CONFLICT");
    expect(prepared).toBe(1);
  });

  it("settles after commit on a call that ran `prepare`, not on a replay", async () => {
    const settled: number[] = [];
    const call = (raw: unknown) =>
      command(db, OPERATOR, raw, {
        name: "receiveThenNotify",
        role: "OPERATOR",
        input: receiveSchema,
        prepare: async (input) => input.quantity,
        run: ({ tx, input }) => insertReceipt(tx, input.code, input.quantity),
        settle: async (id) => void settled.push(id),
        reload: (id, { tx }) => loadReceipt(tx, id),
      });
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    const first = await call(input);
    await call(input);
    expect(settled).toEqual([first.id]);
  });

  it("lets `request` refuse by the caller before the replay check, on a replay too", async () => {
    const call = (caller: Principal, raw: unknown) =>
      command(db, caller, raw, {
        name: "receiveByPerson",
        role: "OPERATOR",
        input: receiveSchema,
        request: (input, principal) => {
          if (principal.kind !== "user") throw new DomainError("FORBIDDEN", "only a person");
          const { idempotencyKey: _key, ...request } = input;
          return request;
        },
        run: ({ tx, input }) => insertReceipt(tx, input.code, input.quantity),
        reload: (id, { tx }) => loadReceipt(tx, id),
      });
    const input = { code: own("R-1"), quantity: 5, idempotencyKey: own("k-1") };
    await call(OPERATOR, input);
    const service: Principal = { ...OPERATOR, kind: "service-account" };
    expect(await codeOf(call(service, input))).toBe("FORBIDDEN");
    expect((await added()).receipts).toBe(1);
  });
});

/** Never called: tsc checks that a recorded event is typed by its subject, as `enqueueEvent`'s are. */
export function recordedEventsAreTyped(record: CommandRecorder): void {
  record.event({ subject: SUBJECTS.identity.userCreated, entityType: "User", entityId: "u" });
  // @ts-expect-error a lot movement needs its payload
  record.event({ subject: SUBJECTS.inventory.lotMoved, entityType: "Lot", entityId: "l" });
  // @ts-expect-error not a subject of the catalogue
  record.event({ subject: "lotgraph.inventory.lot.teleported", entityType: "Lot", entityId: "l" });
}
