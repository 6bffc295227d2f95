import { randomUUID } from "node:crypto";
import {
  DomainError,
  SUBJECTS,
  badInput,
  command,
  isUuid,
  notFound,
  requireAuthenticated,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/line-store.ts";
import type { ProductionTx } from "../store/db.ts";
import { conflict, type ProductionDeps } from "./common.ts";
import { vanished } from "./production-command.ts";
import { code, id, idempotencyKey, text } from "@lotgraph/kit";
import type { LineRecord } from "./records.ts";

const createLineSchema = z.object({ code: code(), name: text(), idempotencyKey });
const updateLineSchema = z
  .object({ lineId: id, code: code().nullish(), name: text().nullish(), idempotencyKey })
  .refine((input) => input.code != null || input.name != null, {
    message: "give at least one field to change (code, name)",
    path: ["lineId"],
  });
const deactivateLineSchema = z.object({ lineId: id, idempotencyKey });

/**
 * Lines: where work orders run. A deactivated line stays readable (by id, by code, in lists and on
 * every work order that ran on it) but no new work goes to it: createWorkOrder, releaseWorkOrder
 * and startRun refuse it. Runs already in progress on it may finish, so deactivating never strands
 * material inside a run.
 */
export class LineService {
  constructor(private readonly deps: ProductionDeps) {}

  /** Adds a line (MANAGER); a taken code is CONFLICT. */
  createLine(caller: Principal | null, raw: unknown): Promise<LineRecord> {
    return command(this.deps.db, caller, raw, {
      name: "createLine",
      role: "MANAGER",
      input: createLineSchema,
      run: async ({ tx, input: { idempotencyKey: _key, ...input }, record }) => {
        if (await store.lineCodeTaken(tx, input.code))
          throw conflict(`a line with code ${input.code} already exists`, { field: "code" });
        const line = await store.insertLine(tx, { id: randomUUID(), createdAt: new Date(), ...input });
        record.audit({ action: "line.created", entityType: "Line", entityId: line.id, after: line });
        record.event({
          subject: SUBJECTS.production.lineCreated,
          entityType: "Line",
          entityId: line.id,
          payload: { lineId: line.id, code: line.code, name: line.name },
        });
        return line.id;
      },
      reload: (lineId, { tx }) => this.load(tx, lineId),
    });
  }

  /** Renames a line or changes its code (MANAGER); only the fields given change. */
  updateLine(caller: Principal | null, raw: unknown): Promise<LineRecord> {
    return command(this.deps.db, caller, raw, {
      name: "updateLine",
      role: "MANAGER",
      input: updateLineSchema,
      run: async ({ tx, input, record }) => {
        const before = await lockForChange(tx, input.lineId);
        const changes = {
          ...(input.code != null && input.code !== before.code ? { code: input.code } : {}),
          ...(input.name != null && input.name !== before.name ? { name: input.name } : {}),
        };
        if (changes.code && (await store.lineCodeTaken(tx, changes.code, before.id)))
          throw conflict(`a line with code ${changes.code} already exists`, { field: "code" });
        const after = Object.keys(changes).length ? await store.updateLine(tx, before.id, changes) : before;
        record.audit({
          action: "line.updated",
          entityType: "Line",
          entityId: before.id,
          before: { code: before.code, name: before.name },
          after: { code: after.code, name: after.name },
        });
        record.event({
          subject: SUBJECTS.production.lineUpdated,
          entityType: "Line",
          entityId: after.id,
          payload: { lineId: after.id, code: after.code, name: after.name, active: after.active },
        });
        return before.id;
      },
      reload: (lineId, { tx }) => this.load(tx, lineId),
    });
  }

  /** Retires a line (MANAGER): no new work goes to it; its history stays. Already deactivated is CONFLICT. */
  deactivateLine(caller: Principal | null, raw: unknown): Promise<LineRecord> {
    return command(this.deps.db, caller, raw, {
      name: "deactivateLine",
      role: "MANAGER",
      input: deactivateLineSchema,
      run: async ({ tx, input, record }) => {
        const before = await lockForChange(tx, input.lineId);
        const after = await store.updateLine(tx, before.id, { active: false, deactivatedAt: new Date() });
        record.audit({
          action: "line.deactivated",
          entityType: "Line",
          entityId: before.id,
          before: { active: true },
          after: { active: false, deactivatedAt: after.deactivatedAt },
        });
        record.event({
          subject: SUBJECTS.production.lineDeactivated,
          entityType: "Line",
          entityId: after.id,
          payload: { lineId: after.id, code: after.code, name: after.name, active: false },
        });
        return before.id;
      },
      reload: (lineId, { tx }) => this.load(tx, lineId),
    });
  }

  /** By id or by code (the one painted on the line), exactly one of them; deactivated lines too. */
  async line(caller: Principal | null, args: { id?: string | null; code?: string | null }): Promise<LineRecord | null> {
    requireAuthenticated(caller);
    if ((args.id == null) === (args.code == null)) throw badInput("id", "give exactly one of id or code");
    if (args.id != null)
      return isUuid(args.id) ? ((await store.findLines(this.deps.db.client, [args.id]))[0] ?? null) : null;
    return store.findLineByCode(this.deps.db.client, args.code!);
  }

  /** Every line by code, deactivated ones included unless `active` says otherwise. */
  async lines(caller: Principal | null, filter: store.LineFilter = {}): Promise<LineRecord[]> {
    requireAuthenticated(caller);
    return store.listLines(this.deps.db.client, filter);
  }

  private async load(tx: ProductionTx, lineId: string): Promise<LineRecord> {
    return (await store.findLines(tx, [lineId]))[0] ?? vanished("line", lineId);
  }
}

/** Locks a line to change it: NOT_FOUND, or CONFLICT once it is deactivated (a retired line is history). */
async function lockForChange(tx: ProductionTx, lineId: string): Promise<LineRecord> {
  const line = await store.lockLineForUpdate(tx, lineId);
  if (!line) throw notFound("Line", lineId);
  if (!line.active) throw lineDeactivated(line);
  return line;
}

/**
 * New work needs an active line: locks it (shared, so a concurrent deactivation waits for this
 * write or this write sees it) and refuses a deactivated one with CONFLICT, or BAD_USER_INPUT on
 * `field` when the caller named the line in its input.
 */
export async function requireActiveLine(tx: ProductionTx, lineId: string, field: string | null): Promise<LineRecord> {
  const line = await store.lockLine(tx, lineId);
  if (!line) {
    if (field) throw badInput(field, `line ${lineId} does not exist`);
    throw new Error(`work order references missing line ${lineId}`);
  }
  if (line.active) return line;
  if (field) {
    const error = lineDeactivated(line);
    throw new DomainError("BAD_USER_INPUT", error.message, { field, lineId: line.id, code: line.code });
  }
  throw lineDeactivated(line);
}

const lineDeactivated = (line: LineRecord): DomainError =>
  conflict(`line ${line.code} is deactivated: no new work can use it`, {
    lineId: line.id,
    code: line.code,
    deactivatedAt: line.deactivatedAt?.toISOString() ?? null,
  });
