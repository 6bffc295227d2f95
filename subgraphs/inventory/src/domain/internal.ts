import { SUBJECTS, badInput, command, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { performedBy, serialNumbers } from "./common.ts";
import { actingFor, idsOf, inOrder, internalRequest, lotById, type InventoryContext } from "./inventory-command.ts";
import { findSerials } from "../store/serial-store.ts";
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

/** Gate ids sorted and each once, so a retry listing them in another order is the same request. */
const produceInput = produceSchema.transform((parsed) => ({
  ...parsed,
  blockingGateIds: [...new Set(parsed.blockingGateIds ?? [])].sort(),
}));

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
  consumeFromLot(caller: Principal | null, raw: unknown): Promise<Consumed> {
    return command(this.db, caller, raw, {
      name: "consumeFromLot",
      role: "internal",
      input: consumeSchema,
      actor: actingFor,
      request: internalRequest,
      run: consume,
      reload: async ({ lotId, movementId }, { tx }) => ({ lot: await lotById(tx, lotId), movementId }),
    });
  }

  /**
   * Records a lot a run produced, with one serial unit per unit for SERIAL materials. In the same
   * transaction it decides how the lot starts: waiting for the run's blocking gates without PASS
   * (QUARANTINE), and under every hold on what the run consumed or their ancestors, and every hold
   * on the run itself (ON_HOLD). Those holds are returned so production can tell quality.
   */
  produceLot(caller: Principal | null, raw: unknown): Promise<Produced> {
    return command(this.db, caller, raw, {
      name: "produceLot",
      role: "internal",
      input: produceInput,
      actor: actingFor,
      request: internalRequest,
      run: produce,
      reload: async ({ lotId, serialIds, holds }, { tx }) => ({
        lot: await lotById(tx, lotId),
        serials: inOrder("serial unit", serialIds, await findSerials(tx, serialIds)),
        holds: [...holds],
      }),
    });
  }

  /**
   * Scraps everything left of a lot for quality's SCRAP disposition of a nonconformance, through
   * the same ledger posting as `scrapLot`. Held material may be scrapped (that is the point of the
   * disposition); a CONSUMED, SHIPPED or SCRAPPED lot is LOT_UNAVAILABLE. The movement and the
   * audit entry name the nonconformance.
   */
  scrapLotInternal(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    return command(this.db, caller, raw, {
      name: "scrapLotInternal",
      role: "internal",
      input: scrapSchema,
      actor: actingFor,
      request: internalRequest,
      run: async (cmd) => {
        const { input } = cmd;
        const scrapped = await scrapInTransaction(cmd, {
          lotId: input.lotId,
          quantity: null,
          reason: `nonconformance ${input.nonConformanceId}: ${input.reason}`,
          context: { nonConformanceId: input.nonConformanceId, via: cmd.actor.via },
        });
        return scrapped.id;
      },
      reload: (lotId, { tx }) => lotById(tx, lotId),
    });
  }
}

type Context<S extends z.ZodType> = InventoryContext<z.output<S>>;

/** consumeFromLot's rule: the genealogy lock, the lot's checks, the CONSUMPTION posting. */
async function consume(cmd: Context<typeof consumeSchema>): Promise<{ lotId: string; movementId: string }> {
  const { tx, input, actor, record } = cmd;
  const person = input.performedBy;
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
  record.audit({
    action: "lot.consumed",
    entityType: "Lot",
    entityId: lot.id,
    before: stockView(before),
    after: { ...stockView(lot), consumed: input.quantity.toFixed(), runId: input.runId, via: actor.via },
  });
  record.event({
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
  return { lotId: lot.id, movementId: movement.id };
}

/** produceLot's rule: the lot and its serial units, then how it starts (see startOfOutput). */
async function produce(
  cmd: Context<typeof produceInput>,
): Promise<{ lotId: string; serialIds: string[]; holds: AutomaticHold[] }> {
  const { tx, input, actor, record } = cmd;
  const person = input.performedBy;
  await lockGenealogyShared(tx);
  const { lot, serials } = await createLot(tx, input, { kind: "PRODUCTION", runId: input.runId }, actor);
  record.audit({
    action: "lot.produced",
    entityType: "Lot",
    entityId: lot.id,
    after: { ...lot, runId: input.runId, serialNumbers: serials.map((s) => s.serialNumber), via: actor.via },
  });
  record.event({
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
  const started = await applyStart(cmd, lot, await startOfOutput(tx, input.runId, input.blockingGateIds));
  return { lotId: started.lot.id, serialIds: idsOf(serials), holds: started.holds };
}
