import type { TraceabilityClient, TraceabilityTx } from "../database.ts";

/** What a receipt or production event tells about a lot beyond its node (see `genealogy_lot`). */
export interface LotOrigin {
  lotId: string;
  uom: string;
  quantity: string;
  locationId: string | null;
  supplierId: string | null;
  runId: string | null;
  originEventId: string;
}

export interface InstallationFact {
  installationId: string;
  parentSerialId: string;
  componentSerialId: string | null;
  componentLotId: string | null;
  quantity: string;
  runId: string | null;
  installedAt: Date;
  removedAt: Date | null;
}

/**
 * Master data as an event tells it: the key, and each descriptive field when the event carries
 * it (undefined = the event does not say, so what is already known stays).
 */
export interface MaterialMasterFact {
  materialId: string;
  sku?: string | undefined;
  name?: string | undefined;
  uom?: string | undefined;
  kind?: string | undefined;
}

export interface LocationMasterFact {
  locationId: string;
  code?: string | undefined;
  name?: string | undefined;
  kind?: string | undefined;
  parentId?: string | null | undefined;
}

export interface PartyMasterFact {
  partyId: string;
  code?: string | undefined;
  name?: string | undefined;
  kind?: string | undefined;
}

export interface LineMasterFact {
  lineId: string;
  code?: string | undefined;
  name?: string | undefined;
}

/**
 * The relational facts beside the lot graph (shipments, serials, as-built, output quantities,
 * parked events). They live in traceability's SQL database in both modes: they are looked up by
 * key, never walked. Every write is an upsert by key, so a replayed event changes nothing.
 */
export class SqlFactsStore {
  constructor(private readonly db: TraceabilityClient | TraceabilityTx) {}

  async recordLotOrigin(origin: LotOrigin): Promise<void> {
    const { lotId, ...data } = origin;
    await this.db.genealogyLot.update({ where: { lotId }, data });
  }

  async recordSerials(lotId: string, serials: ReadonlyArray<{ id: string; serialNumber: string }>): Promise<void> {
    if (serials.length === 0) return;
    await this.db.serialFact.createMany({
      data: serials.map((s) => ({ serialId: s.id, lotId, serialNumber: s.serialNumber })),
      skipDuplicates: true,
    });
  }

  /** Adds one output record's quantity to the run's output of that lot, once per output id. */
  async recordOutputQuantity(
    output: { outputId: string; runId: string; lotId: string; quantity: string },
    recordedAt: Date,
  ): Promise<void> {
    const fresh = await this.db.runOutputRecord.createMany({ data: [output], skipDuplicates: true });
    if (fresh.count === 0) return;
    await this.db.$executeRawUnsafe(
      `UPDATE run_output_lot SET quantity = COALESCE(quantity, 0) + $3::numeric,
              recorded_at = COALESCE(recorded_at, $4::timestamptz)
        WHERE run_id = $1::uuid AND lot_id = $2::uuid`,
      output.runId,
      output.lotId,
      output.quantity,
      recordedAt,
    );
  }

  async recordConsumedAt(consumptionId: string, consumedAt: Date): Promise<void> {
    await this.db.runConsumption.updateMany({ where: { consumptionId }, data: { consumedAt } });
  }

  /** A shipment header; `reference` and `shippedAt` from shipment.created win over lot.shipped's guesses. */
  async upsertShipment(shipment: {
    shipmentId: string;
    customerId: string;
    shippedAt: Date;
    reference: string | null;
  }): Promise<void> {
    await this.db.shipmentFact.upsert({
      where: { shipmentId: shipment.shipmentId },
      create: shipment,
      update: shipment.reference === null ? {} : { reference: shipment.reference, shippedAt: shipment.shippedAt },
    });
  }

  async upsertShipmentLot(line: {
    shipmentId: string;
    lotId: string;
    quantity: string;
    /** Undefined or null when the event does not say: a location already known is kept. */
    fromLocationId?: string | null | undefined;
  }): Promise<void> {
    const fromLocationId = line.fromLocationId ?? undefined;
    await this.db.shipmentLot.upsert({
      where: { shipmentId_lotId: { shipmentId: line.shipmentId, lotId: line.lotId } },
      create: { shipmentId: line.shipmentId, lotId: line.lotId, quantity: line.quantity, fromLocationId },
      // Prisma leaves undefined fields untouched.
      update: { quantity: line.quantity, fromLocationId },
    });
  }

  /**
   * Where a run happened. The line is the work order's, the same on every event of the run; the
   * location is the first output's, kept once set so a replay or a later output never moves it.
   */
  async recordRunPlace(run: { runId: string; lineId: string | null; locationId: string | null }): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO run_fact (run_id, line_id, location_id) VALUES ($1::uuid, $2::uuid, $3::uuid)
       ON CONFLICT (run_id) DO UPDATE SET line_id = COALESCE(EXCLUDED.line_id, run_fact.line_id),
                                          location_id = COALESCE(run_fact.location_id, EXCLUDED.location_id)`,
      run.runId,
      run.lineId,
      run.locationId,
    );
  }

  // Master data: upserts by id; a field the event leaves undefined is left as it is (Prisma skips
  // undefined), so an older event replayed after a newer one never blanks a known name.

  async upsertMaterial(fact: MaterialMasterFact): Promise<void> {
    const { materialId, ...data } = fact;
    await this.db.materialFact.upsert({ where: { materialId }, create: { materialId, ...data }, update: data });
  }

  async upsertLocation(fact: LocationMasterFact): Promise<void> {
    const { locationId, ...data } = fact;
    await this.db.locationFact.upsert({ where: { locationId }, create: { locationId, ...data }, update: data });
  }

  async upsertParty(fact: PartyMasterFact): Promise<void> {
    const { partyId, ...data } = fact;
    await this.db.partyFact.upsert({ where: { partyId }, create: { partyId, ...data }, update: data });
  }

  async upsertLine(fact: LineMasterFact): Promise<void> {
    const { lineId, ...data } = fact;
    await this.db.lineFact.upsert({ where: { lineId }, create: { lineId, ...data }, update: data });
  }

  async upsertInstallation(fact: InstallationFact): Promise<void> {
    const { installationId, removedAt, ...rest } = fact;
    await this.db.installation.upsert({
      where: { installationId },
      create: { installationId, removedAt, ...rest },
      // A removal only ever sets removedAt; a stale install event replayed later never clears it.
      update: removedAt ? { removedAt } : {},
    });
  }

  /** Keeps a refused event for an operator (`parked_event`); parking twice keeps the first. */
  async park(event: { eventId: string; subject: string; payload: unknown; reason: string }): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO parked_event (event_id, subject, payload, reason) VALUES ($1::uuid, $2, $3::jsonb, $4)
       ON CONFLICT (event_id) DO NOTHING`,
      event.eventId,
      event.subject,
      JSON.stringify(event.payload),
      event.reason,
    );
  }
}
