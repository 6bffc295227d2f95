import { randomUUID } from "node:crypto";
import {
  beginPendingWrite,
  completePendingWrite,
  notFound,
  parseInput,
  requireRole,
  runPendingWrite,
  withIdempotency,
  type PendingWrite,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import { lastPassOnLine } from "../store/decision-store.ts";
import { findGates } from "../store/gate-store.ts";
import { findHolds } from "../store/hold-store.ts";
import { actorOf, derivedUuid, storedResult, type QualityDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { recordPlacement } from "./placements.ts";
import type { PerformedBy } from "./peers.ts";
import type { HoldRecord } from "./records.ts";

const placeSchema = z.object({ lineId: id, gateId: id, reason: text(500), idempotencyKey });

export interface PlacedLineHold {
  holds: HoldRecord[];
  affectedLotIds: string[];
  /** The last PASS of the gate on the line: everything output after it is held (null: never passed). */
  since: Date | null;
}

/**
 * Line holds after a failed critical control point: the metal detector failed at 14:10 and the
 * last good check on that line was at 11:00, so everything the line output since 11:00, and every
 * lot made from it, is suspect. One placement holds them all; its root is the earliest output.
 */
export class LineHoldService {
  constructor(private readonly deps: QualityDeps) {}

  /** Holds every output of the line since the gate's last PASS there, and their descendants (MANAGER). */
  async place(caller: Principal | null, raw: unknown, requestId: string): Promise<PlacedLineHold> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...input } = parseInput(placeSchema, raw);
    const earlier = await storedResult<Stored>(this.deps, "placeLineHold", key, input);
    if (earlier) return this.reload(earlier);
    const [gate] = await findGates(this.deps.db.client, [input.gateId]);
    if (!gate) throw notFound("QcGate", input.gateId);
    const since = await lastPassOnLine(this.deps.db.client, gate.id, input.lineId);
    const outputs = await this.deps.production.lineOutputLots(input.lineId, since, requestId);
    const placementId = key ? derivedUuid(`placeLineHold:${actor.id}:${key}`) : randomUUID();
    const reason = `line hold at gate ${gate.name}: every output since ${since ? `its last PASS at ${since.toISOString()}` : "the line began (no PASS yet)"}: ${input.reason}`;
    const write = await beginPendingWrite<LineHoldWrite>(this.deps.db, "placeLineHold", actor.id, {
      placementId,
      outputs,
      since: since?.toISOString() ?? null,
      reason,
      input,
      key: key ?? null,
      actor: actorOf(actor),
    });
    return runPendingWrite(this.deps.db, write.id, () => this.completePlacement(write, requestId));
  }

  /** Inventory holds the outputs, then quality records the placement, once (request or recovery). */
  async completePlacement(write: PendingWrite<LineHoldWrite>, requestId: string): Promise<PlacedLineHold> {
    const { placementId, outputs, since, reason, input, key, actor } = write.payload;
    const held = outputs.length
      ? await this.deps.inventory.setLotHold(
          {
            lotIds: outputs,
            holdId: placementId,
            reason,
            propagate: true,
            performedBy: actor,
            idempotencyKey: `line-hold:${placementId}`,
          },
          requestId,
        )
      : [];
    const stored = await this.deps.db.transaction((tx) =>
      completePendingWrite(tx, write.id, () =>
        withIdempotency(tx, "placeLineHold", key, input, async () => {
          const holds = await recordPlacement(
            tx,
            { id: placementId, kind: "root", reason, decisionId: null, propagate: true, actor },
            held.map((lot) => ({ lotId: lot.id })),
          );
          return { holdIds: holds.map((h) => h.id), affectedLotIds: held.map((lot) => lot.id), since };
        }),
      ),
    );
    return this.reload(stored);
  }

  private async reload(stored: Stored): Promise<PlacedLineHold> {
    const byId = new Map((await findHolds(this.deps.db.client, stored.holdIds)).map((h) => [h.id, h]));
    return {
      holds: stored.holdIds.flatMap((hid) => byId.get(hid) ?? []),
      affectedLotIds: stored.affectedLotIds,
      since: stored.since ? new Date(stored.since) : null,
    };
  }
}

/** A line hold journalled before inventory is called: the outputs it holds and everything else it records. */
export interface LineHoldWrite {
  placementId: string;
  outputs: string[];
  since: string | null;
  reason: string;
  input: { lineId: string; gateId: string; reason: string };
  key: string | null;
  actor: PerformedBy;
}

interface Stored {
  holdIds: string[];
  affectedLotIds: string[];
  since: string | null;
}
