import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  appendAudit,
  enqueueEvent,
  parseInput,
  requireAuthenticated,
  requireRole,
  withIdempotency,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/line-store.ts";
import { actorOf, conflict, type ProductionDeps } from "./common.ts";
import { code, idempotencyKey, text } from "@lotgraph/kit";
import type { LineRecord } from "./records.ts";

const createLineSchema = z.object({ code: code(), name: text(), idempotencyKey });

/** Lines: where work orders run. */
export class LineService {
  constructor(private readonly deps: ProductionDeps) {}

  /** Adds a line (MANAGER); a taken code is CONFLICT. */
  async createLine(caller: Principal | null, raw: unknown): Promise<LineRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...input } = parseInput(createLineSchema, raw);
    const lineId = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "createLine", key, input, async () => {
        if (await store.lineCodeTaken(tx, input.code))
          throw conflict(`a line with code ${input.code} already exists`, { field: "code" });
        const line = await store.insertLine(tx, { id: randomUUID(), createdAt: new Date(), ...input });
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "line.created",
          entityType: "Line",
          entityId: line.id,
          after: line,
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.production.lineCreated,
          entityType: "Line",
          entityId: line.id,
          payload: { lineId: line.id, code: line.code, name: line.name },
        });
        return line.id;
      }),
    );
    const [line] = await store.findLines(this.deps.db.client, [lineId]);
    if (!line) throw new Error(`line ${lineId} vanished after its creation`);
    return line;
  }

  async lines(caller: Principal | null): Promise<LineRecord[]> {
    requireAuthenticated(caller);
    return store.listLines(this.deps.db.client);
  }
}
