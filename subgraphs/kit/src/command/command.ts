import type { z } from "zod";
import type { AuditActor } from "../audit/audit.ts";
import { requireInternal, requireRole } from "../auth/guard.ts";
import type { Role } from "../auth/roles.ts";
import type { Principal } from "../auth/tokens.ts";
import { storedIdempotentResult, withIdempotency, type IdempotencyStore } from "../db/idempotency.ts";
import type { SqlExecutor } from "../db/sql.ts";
import { parseInput } from "../validation.ts";
import { flushRecords, pendingRecords, type CommandRecorder } from "./recorder.ts";

/**
 * What a command stores for a replay: ids (and other plain JSON facts), never a whole entity, so
 * nothing has to be revived from JSON and a replay reloads exactly as a first call does.
 */
export type StoredRef = string | number | boolean | null | readonly StoredRef[] | { readonly [key: string]: StoredRef };

/** Who may run a command: one of these roles, or (`"internal"`) only another Lotgraph service. */
export type CommandGuard = Role | readonly Role[] | "internal";

/** The database a command runs in (a kit `Database` is one). */
export interface CommandDatabase<Tx extends SqlExecutor> extends IdempotencyStore {
  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/** What the body's helpers need to write: the transaction, who acts, and where to record. */
export interface CommandScope<Tx, A extends AuditActor = AuditActor> {
  tx: Tx;
  actor: A;
  record: CommandRecorder;
}

/** Everything a command's body gets. */
export interface CommandContext<Tx, I, A extends AuditActor, P> extends CommandScope<Tx, A> {
  input: I;
  caller: Principal;
  /** What `prepare` returned (undefined without one). */
  prepared: P;
}

export interface CommandSpec<Tx, S extends z.ZodType, A extends AuditActor, P, Ref extends StoredRef, Result> {
  /** The mutation's name: the scope of its idempotency keys. */
  name: string;
  role: CommandGuard;
  input: S;
  /**
   * What a replay must repeat exactly (default: the parsed input without its idempotencyKey). It
   * may refuse what the input alone settles before anything is read (a signature not given).
   */
  request?: (input: z.output<S>, caller: Principal) => unknown;
  /** Who the audit entries and the ledger name (default: the caller). */
  actor?: (caller: Principal, input: z.output<S>) => A;
  /**
   * Work outside the transaction, before it (a call to another subgraph: none is made while a
   * transaction is open, decision 0006). A replay is recognised before it, so it runs once.
   */
  prepare?: (input: z.output<S>, caller: Principal) => Promise<P>;
  /** The mutation's own rule, in the transaction: returns what identifies its result. */
  run: (context: CommandContext<Tx, z.output<S>, A, P>) => Promise<Ref>;
  /**
   * Reads the result by what `run` returned, in the same transaction (first call and replay
   * alike), so a first call returns what it wrote, not what a concurrent command wrote after it.
   */
  reload: (ref: Ref, context: { tx: Tx; input: z.output<S> }) => Promise<Result>;
  /**
   * Work after commit, by a call that ran `prepare` (a replay recognised before it does not): a
   * notice to a peer that may fail without undoing what was written.
   */
  settle?: (ref: Ref, prepared: P, input: z.output<S>) => Promise<void>;
}

/**
 * The mutation envelope, written once: guard → input → (prepare) → transaction → idempotency →
 * body → its events and audit entries → reload → commit. One replay rule: the same key with the
 * same request returns the stored ref reloaded, without running the body again; the same key with
 * another request is CONFLICT; without a key the body always runs (see withIdempotency).
 */
export async function command<
  Tx extends SqlExecutor,
  S extends z.ZodType,
  A extends AuditActor,
  P,
  Ref extends StoredRef,
  Result,
>(
  db: CommandDatabase<Tx>,
  caller: Principal | null,
  raw: unknown,
  spec: CommandSpec<Tx, S, A, P, Ref, Result>,
): Promise<Result> {
  const { principal, input, key, request } = admit(caller, raw, spec);
  if (spec.prepare) {
    const stored = await storedIdempotentResult<Ref>(db, spec.name, key, request);
    if (stored !== null) return db.transaction((tx) => spec.reload(stored, { tx, input }));
  }
  const prepared = (spec.prepare ? await spec.prepare(input, principal) : undefined) as P;
  const actor = spec.actor ? spec.actor(principal, input) : (auditActor(principal) as A);
  const { ref, result } = await db.transaction(async (tx) => {
    const ref = await withIdempotency(tx, spec.name, key, request, () =>
      withRecords(tx, actor, (scope) => spec.run({ ...scope, input, caller: principal, prepared })),
    );
    return { ref, result: await spec.reload(ref, { tx, input }) };
  });
  if (spec.settle) await spec.settle(ref, prepared, input);
  return result;
}

/** What a command admits before anything is read: the caller, the parsed input, its key and request. */
export interface Admitted<I> {
  principal: Principal;
  input: I;
  key: string | null;
  request: unknown;
}

/** The first steps of every command: guard → input → key → request (see {@link CommandSpec}). */
export function admit<S extends z.ZodType>(
  caller: Principal | null,
  raw: unknown,
  spec: { role: CommandGuard; input: S; request?: (input: z.output<S>, caller: Principal) => unknown },
): Admitted<z.output<S>> {
  const principal = guard(caller, spec.role);
  const input: z.output<S> = parseInput(spec.input, raw);
  const key = idempotencyKeyOf(input);
  const request = spec.request ? spec.request(input, principal) : withoutKey(input);
  return { principal, input, key, request };
}

/** Runs a command's body in `tx` and writes the audit entries and events it recorded, in the same transaction. */
export async function withRecords<Tx, A extends AuditActor, R>(
  tx: Tx & SqlExecutor,
  actor: A,
  body: (scope: CommandScope<Tx, A>) => Promise<R>,
): Promise<R> {
  const record = pendingRecords();
  const result = await body({ tx, actor, record });
  await flushRecords(tx, actor, record);
  return result;
}

function guard(caller: Principal | null, role: CommandGuard): Principal {
  if (role === "internal") return requireInternal(caller);
  return requireRole(caller, ...(typeof role === "string" ? [role] : role));
}

function idempotencyKeyOf(input: unknown): string | null {
  if (typeof input !== "object" || input === null || !("idempotencyKey" in input)) return null;
  const key = input.idempotencyKey;
  return typeof key === "string" ? key : null;
}

function withoutKey(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const { idempotencyKey: _key, ...rest } = input as Record<string, unknown>;
  return rest;
}

/** Only who acted: a principal's roles and kind are not part of the audit entry. */
export function auditActor(principal: Principal): AuditActor {
  return { id: principal.id, name: principal.name };
}
