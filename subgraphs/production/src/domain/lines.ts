import { randomUUID } from "node:crypto";
import { SUBJECTS, badInput, command, isUuid, requireAuthenticated, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/line-store.ts";
import { conflict, type ProductionDeps } from "./common.ts";
import { vanished } from "./production-command.ts";
import { code, idempotencyKey, text } from "@lotgraph/kit";
import type { LineRecord } from "./records.ts";

const createLineSchema = z.object({ code: code(), name: text(), idempotencyKey });

/** Lines: where work orders run. */
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
      reload: async (lineId, { tx }) => (await store.findLines(tx, [lineId]))[0] ?? vanished("line", lineId),
    });
  }

  /** By id or by code (the one painted on the line), exactly one of them. */
  async line(caller: Principal | null, args: { id?: string | null; code?: string | null }): Promise<LineRecord | null> {
    requireAuthenticated(caller);
    if ((args.id == null) === (args.code == null)) throw badInput("id", "give exactly one of id or code");
    if (args.id != null)
      return isUuid(args.id) ? ((await store.findLines(this.deps.db.client, [args.id]))[0] ?? null) : null;
    return store.findLineByCode(this.deps.db.client, args.code!);
  }

  async lines(caller: Principal | null): Promise<LineRecord[]> {
    requireAuthenticated(caller);
    return store.listLines(this.deps.db.client);
  }
}
