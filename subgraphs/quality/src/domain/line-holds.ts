import { randomUUID } from "node:crypto";
import {
  completeJournalled,
  journalledCommand,
  notFound,
  type Journalled,
  type PendingWrite,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import { lastPassOnLine } from "../store/decision-store.ts";
import { findGates } from "../store/gate-store.ts";
import { derivedUuid, type QualityDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { recordPlacement } from "./placements.ts";
import { holdsInOrder } from "./quality-command.ts";
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

  /**
   * Holds every output of the line since the gate's last PASS there, and their descendants
   * (MANAGER). A deactivated line or gate is accepted on purpose: a hold only takes material out
   * of use, and containing what a retired line made must never be refused.
   */
  place(caller: Principal | null, raw: unknown, requestId: string): Promise<PlacedLineHold> {
    return journalledCommand(this.deps.db, caller, raw, {
      name: "placeLineHold",
      role: "MANAGER",
      input: placeSchema,
      journal: async (input, principal) => {
        const [gate] = await findGates(this.deps.db.client, [input.gateId]);
        if (!gate) throw notFound("QcGate", input.gateId);
        const since = await lastPassOnLine(this.deps.db.client, gate.id, input.lineId);
        const outputs = await this.deps.production.lineOutputLots(input.lineId, since, requestId);
        const key = input.idempotencyKey;
        const placementId = key ? derivedUuid(`placeLineHold:${principal.id}:${key}`) : randomUUID();
        const reason = `line hold at gate ${gate.name}: every output since ${since ? `its last PASS at ${since.toISOString()}` : "the line began (no PASS yet)"}: ${input.reason}`;
        return { placementId, outputs, since: since?.toISOString() ?? null, reason };
      },
      complete: (write) => this.completePlacement(write, requestId),
      reload: (stored: Stored) => this.reload(stored),
    });
  }

  /** Inventory holds the outputs, then quality records the placement, once (request or recovery). */
  completePlacement(write: PendingWrite<LineHoldWrite>, requestId: string): Promise<PlacedLineHold> {
    return completeJournalled(this.deps.db, write, {
      name: "placeLineHold",
      call: async ({ placementId, outputs, reason, actor }) =>
        outputs.length
          ? this.deps.inventory.setLotHold(
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
          : [],
      run: async ({ tx, actor, write: { placementId, reason, since }, called: held }) => {
        const holds = await recordPlacement(
          tx,
          { id: placementId, kind: "root", reason, decisionId: null, propagate: true, actor },
          held.map((lot) => ({ lotId: lot.id })),
        );
        return { holdIds: holds.map((h) => h.id), affectedLotIds: held.map((lot) => lot.id), since };
      },
      reload: (stored) => this.reload(stored),
    });
  }

  private async reload(stored: Stored): Promise<PlacedLineHold> {
    return {
      holds: await holdsInOrder(this.deps.db.client, stored.holdIds),
      affectedLotIds: stored.affectedLotIds,
      since: stored.since ? new Date(stored.since) : null,
    };
  }
}

/** A line hold journalled before inventory is called: the outputs it holds and everything else it records. */
export type LineHoldWrite = Journalled<
  { placementId: string; outputs: string[]; since: string | null; reason: string },
  { lineId: string; gateId: string; reason: string }
>;

type Stored = {
  holdIds: string[];
  affectedLotIds: string[];
  since: string | null;
};
