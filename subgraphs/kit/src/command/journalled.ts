import type { z } from "zod";
import type { AuditActor } from "../audit/audit.ts";
import type { Principal } from "../auth/tokens.ts";
import { storedIdempotentResult, withIdempotency } from "../db/idempotency.ts";
import {
  beginPendingWrite,
  completePendingWrite,
  runPendingWrite,
  type JournalDatabase,
  type PendingWrite,
} from "../db/pending-writes.ts";
import type { SqlExecutor } from "../db/sql.ts";
import {
  admit,
  auditActor,
  withRecords,
  type CommandDatabase,
  type CommandGuard,
  type CommandScope,
  type StoredRef,
} from "./command.ts";

/**
 * What every journalled write holds besides its own ids: the client's key, the request a replay
 * must repeat (never a password), and who acts. Its completion runs under that key and request,
 * so a replay after recovery completed it gets the stored result, as after the request did.
 */
export interface JournalledRequest<R = unknown> {
  key: string | null;
  input: R;
  actor: AuditActor;
}

/** A journalled write's payload: the write's own ids and facts, with its request. */
export type Journalled<W, R = unknown> = W & JournalledRequest<R>;

/** A command's request when it names none: its input without the key. */
export type RequestOf<S extends z.ZodType> = Omit<z.output<S>, "idempotencyKey">;

export interface JournalledCommandSpec<S extends z.ZodType, W, R, Ref extends StoredRef, Result> {
  /** The mutation's name: the scope of its keys and the operation recovery completes. */
  name: string;
  role: CommandGuard;
  input: S;
  /** What a replay must repeat exactly, as for {@link command}; it is journalled as `input`. */
  request?: (input: z.output<S>, caller: Principal) => R;
  /**
   * Checks and reads before anything is written (peer reads allowed), after the replay check:
   * returns everything the completion needs, with every id it will use already chosen.
   */
  journal: (input: z.output<S>, caller: Principal) => Promise<W>;
  /** Completes the journalled write (see {@link completeJournalled}): the request, or recovery. */
  complete: (write: PendingWrite<Journalled<W, R>>) => Promise<Result>;
  /** Reads a replay's result by the ref its completion stored. */
  reload: (ref: Ref, input: z.output<S>) => Promise<Result>;
}

/**
 * A command that changes a peer before it writes here, journalled first (decision 0012): guard →
 * input → replay check → checks → journal → peer call → transaction → reload. A write left
 * unfinished (a crash, a peer away) is completed by recovery through the same `complete`; one a
 * rule refuses is abandoned.
 */
export async function journalledCommand<
  Tx extends SqlExecutor,
  S extends z.ZodType,
  W,
  Ref extends StoredRef,
  Result,
  R = RequestOf<S>,
>(
  db: CommandDatabase<Tx> & JournalDatabase,
  caller: Principal | null,
  raw: unknown,
  spec: JournalledCommandSpec<S, W, R, Ref, Result>,
): Promise<Result> {
  const { principal, input, key, request } = admit(caller, raw, spec);
  const stored = await storedIdempotentResult<Ref>(db, spec.name, key, request);
  if (stored !== null) return spec.reload(stored, input);
  const own = await spec.journal(input, principal);
  // The request is what `spec.request` returned, or the input without its key (RequestOf).
  const payload: Journalled<W, R> = { ...own, key, input: request as R, actor: auditActor(principal) };
  const write = await beginPendingWrite(db, spec.name, principal.id, payload);
  return runPendingWrite(db, write.id, () => spec.complete(write));
}

export interface CompletionSpec<Tx, W extends JournalledRequest, Called, Ref extends StoredRef, Result> {
  /** The journalled command's name. */
  name: string;
  /** The peer's change, outside any transaction; idempotent by the ids the write holds. */
  call: (write: W) => Promise<Called>;
  /** Records it here, in the transaction: returns what identifies the result. */
  run: (context: CommandScope<Tx> & { write: W; called: Called }) => Promise<Ref>;
  reload: (ref: Ref, write: W) => Promise<Result>;
}

/**
 * Completes a journalled write, once: the peer's change, then one transaction that records it
 * with its audit entries and events, marks the write completed and stores the ref under the
 * client's key. A request and recovery completing one write queue on its row.
 */
export async function completeJournalled<
  Tx extends SqlExecutor,
  W extends JournalledRequest,
  Called,
  Ref extends StoredRef,
  Result,
>(db: CommandDatabase<Tx>, write: PendingWrite<W>, spec: CompletionSpec<Tx, W, Called, Ref, Result>): Promise<Result> {
  const { key, input, actor } = write.payload;
  const called = await spec.call(write.payload);
  const ref = await db.transaction((tx) =>
    completePendingWrite(tx, write.id, () =>
      withIdempotency(tx, spec.name, key, input, () =>
        withRecords(tx, actor, (scope) => spec.run({ ...scope, write: write.payload, called })),
      ),
    ),
  );
  return spec.reload(ref, write.payload);
}
