import {
  SUBJECTS,
  appendAudit,
  badInput,
  enqueueEvent,
  parseInput,
  requireInternal,
  withIdempotency,
  type Database,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { actorOf, performedBy, reviveLot, reviveSerial, serialNumbers } from "./common.ts";
import { code, id, reason } from "@lotgraph/kit";
import { lockLot, post, stockView } from "./ledger.ts";
import { createLot } from "./lot-creation.ts";
import { lockGenealogyShared } from "../store/ledger-genealogy.ts";
import { applyStart, startOfOutput, type AutomaticHold } from "./starting-availability.ts";
import { requireOnHand, requireUsable, requireWholeUnits } from "./lot-rules.ts";
import { quantitySchema } from "@lotgraph/kit";
import { scrapInTransaction } from "./stock.ts";
import type { LotRecord, SerialUnitRecord } from "./records.ts";

/** Internal calls are retried by services across timeouts, so the key is mandatory. */
const requiredKey = z.string().min(1, "required").max(200);

const consumeSchema = z.object({
  lotId: id,
  quantity: quantitySchema("quantity"),
  runId: id,
  allowedMaterialIds: z.array(id).max(1000).nullish(),
  performedBy,
  idempotencyKey: requiredKey,
});

const produceSchema = z.object({
  runId: id,
  materialId: id,
  quantity: quantitySchema("quantity"),
  code: code(),
  locationId: id,
  serialNumbers,
  /** The run's routing's blocking gates: the output waits for each one the run has not passed. */
  blockingGateIds: z.array(z.string().trim().min(1).max(200)).max(100).nullish(),
  performedBy,
  idempotencyKey: requiredKey,
});

const scrapSchema = z.object({
  lotId: id,
  reason,
  nonConformanceId: z.string().trim().min(1, "required").max(200),
  performedBy,
  idempotencyKey: requiredKey,
});

export interface Consumed {
  lot: LotRecord;
  movementId: string;
}

export interface Produced {
  lot: LotRecord;
  serials: SerialUnitRecord[];
  /** Holds the lot was born under (inherited from held inputs, or the run's own). */
  holds: AutomaticHold[];
}

/** The service-to-service mutations production and quality call (service token only). */
export class InternalService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  /**
   * Takes `quantity` from a lot for a production run: the hot, contended path. The lot row is
   * locked before on-hand is read, so of two runs taking the last 5 kg only one succeeds.
   */
  async consumeFromLot(caller: Principal | null, raw: unknown): Promise<Consumed> {
    const service = requireInternal(caller);
    const { idempotencyKey, performedBy: person, ...input } = parseInput(consumeSchema, raw);
    const actor = actorOf(service, person);
    const result = await this.db.transaction((tx) =>
      withIdempotency(tx, "consumeFromLot", idempotencyKey, { ...input, performedBy: person ?? null }, async () => {
        // The consumption links the lot to the run's outputs: a hold deciding descendants waits for it.
        await lockGenealogyShared(tx);
        const before = await lockLot(tx, input.lotId);
        const allowed = input.allowedMaterialIds;
        if (allowed?.length && !allowed.includes(before.materialId)) {
          throw badInput("allowedMaterialIds", `lot ${before.code} is of a material the work order does not list`);
        }
        requireUsable(before, new Date());
        const material = await store.findMaterial(tx, before.materialId);
        requireWholeUnits("quantity", input.quantity, material?.tracking ?? "LOT");
        requireOnHand(before, input.quantity);
        const { lot, movement } = await post(
          tx,
          before,
          { kind: "CONSUMPTION", delta: input.quantity.negated(), runId: input.runId },
          actor,
        );
        await appendAudit(tx, {
          actor,
          action: "lot.consumed",
          entityType: "Lot",
          entityId: lot.id,
          before: stockView(before),
          after: { ...stockView(lot), consumed: input.quantity.toFixed(), runId: input.runId, via: actor.via },
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.inventory.lotConsumed,
          entityType: "Lot",
          entityId: lot.id,
          payload: {
            lotId: lot.id,
            movementId: movement.id,
            onHand: lot.quantity,
            status: lot.status,
            materialId: lot.materialId,
            quantity: input.quantity.toFixed(),
            runId: input.runId,
            // Production records the consumption from this event if its own call never did.
            performedBy: person ?? null,
          },
        });
        return { lot, movementId: movement.id };
      }),
    );
    return { lot: reviveLot(result.lot), movementId: result.movementId };
  }

  /**
   * Records a lot a run produced, with one serial unit per unit for SERIAL materials. In the same
   * transaction it decides how the lot starts: waiting for the run's blocking gates without PASS
   * (QUARANTINE), and under every hold on what the run consumed or their ancestors, and every hold
   * on the run itself (ON_HOLD). Those holds are returned so production can tell quality.
   */
  async produceLot(caller: Principal | null, raw: unknown): Promise<Produced> {
    const service = requireInternal(caller);
    const { idempotencyKey, performedBy: person, ...parsed } = parseInput(produceSchema, raw);
    const input = { ...parsed, blockingGateIds: [...new Set(parsed.blockingGateIds ?? [])].sort() };
    const actor = actorOf(service, person);
    const result = await this.db.transaction((tx) =>
      withIdempotency(tx, "produceLot", idempotencyKey, { ...input, performedBy: person ?? null }, async () => {
        await lockGenealogyShared(tx);
        const { lot, serials } = await createLot(tx, input, { kind: "PRODUCTION", runId: input.runId }, actor);
        await appendAudit(tx, {
          actor,
          action: "lot.produced",
          entityType: "Lot",
          entityId: lot.id,
          after: { ...lot, runId: input.runId, serialNumbers: serials.map((s) => s.serialNumber), via: actor.via },
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.inventory.lotProduced,
          entityType: "Lot",
          entityId: lot.id,
          payload: {
            lotId: lot.id,
            code: lot.code,
            materialId: lot.materialId,
            quantity: lot.quantity,
            uom: lot.uom,
            locationId: input.locationId,
            runId: input.runId,
            serials: serials.map((s) => ({ id: s.id, serialNumber: s.serialNumber })),
            createdAt: lot.createdAt.toISOString(),
            performedBy: person ?? null,
          },
        });
        const started = await applyStart(tx, actor, lot, await startOfOutput(tx, input.runId, input.blockingGateIds));
        return { lot: started.lot, serials, holds: started.holds };
      }),
    );
    return { lot: reviveLot(result.lot), serials: result.serials.map(reviveSerial), holds: result.holds };
  }

  /**
   * Scraps everything left of a lot for quality's SCRAP disposition of a nonconformance, through
   * the same ledger posting as `scrapLot`. Held material may be scrapped (that is the point of the
   * disposition); a CONSUMED, SHIPPED or SCRAPPED lot is LOT_UNAVAILABLE. The movement and the
   * audit entry name the nonconformance.
   */
  async scrapLotInternal(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    const service = requireInternal(caller);
    const { idempotencyKey, performedBy: person, ...input } = parseInput(scrapSchema, raw);
    const actor = actorOf(service, person);
    const lot = await this.db.transaction((tx) =>
      withIdempotency(tx, "scrapLotInternal", idempotencyKey, { ...input, performedBy: person ?? null }, () =>
        scrapInTransaction(
          tx,
          {
            lotId: input.lotId,
            quantity: null,
            reason: `nonconformance ${input.nonConformanceId}: ${input.reason}`,
            context: { nonConformanceId: input.nonConformanceId, via: actor.via },
          },
          actor,
        ),
      ),
    );
    return reviveLot(lot);
  }
}
