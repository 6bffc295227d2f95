import type { TraceabilityClient } from "../database.ts";
import type { ReportNameReads, ReportNameRequest, ReportNames } from "../domain/recall/report/report-names.ts";
import type { LotFactsSource } from "../domain/records.ts";

/**
 * Names for a recall report in a fixed number of batched reads whatever the size of the case:
 * lot codes, units, materials, customers and shipment references from traceability's own fact
 * tables. A lot's code and unit are fixed when it is received or produced (no mutation changes
 * them), so the genealogy's copy is inventory's; inventory (their owner, lotFacts in batches of
 * its limit) is asked only for lots whose copy is not whole yet. On a 10,000-lot drill that
 * second read took most of a report's time.
 */
export class SqlReportNames implements ReportNameReads {
  constructor(
    private readonly db: TraceabilityClient,
    private readonly inventory: LotFactsSource,
  ) {}

  async names({ lotIds, partyIds, shipmentIds }: ReportNameRequest): Promise<ReportNames> {
    const [lots, parties, shipments] = await Promise.all([
      this.db.$queryRawUnsafe<
        Array<{ lot_id: string; code: string | null; uom: string | null; sku: string | null; name: string | null }>
      >(
        `SELECT l.lot_id::text AS lot_id, l.code, l.uom, m.sku, m.name
           FROM genealogy_lot l LEFT JOIN material_fact m ON m.material_id = l.material_id
          WHERE l.lot_id = ANY($1::uuid[])`,
        [...lotIds],
      ),
      this.db.$queryRawUnsafe<Array<{ party_id: string; code: string | null; name: string | null }>>(
        "SELECT party_id::text AS party_id, code, name FROM party_fact WHERE party_id = ANY($1::uuid[])",
        [...partyIds],
      ),
      this.db.$queryRawUnsafe<Array<{ shipment_id: string; reference: string | null; shipped_at: Date | null }>>(
        "SELECT shipment_id::text AS shipment_id, reference, shipped_at FROM shipment_fact WHERE shipment_id = ANY($1::uuid[])",
        [...shipmentIds],
      ),
    ]);
    const projected = new Map(lots.map((l) => [l.lot_id, l]));
    const notWhole = lotIds.filter((lotId) => !projected.get(lotId)?.code || !projected.get(lotId)?.uom);
    const facts = notWhole.length > 0 ? await this.inventory.lotFacts(notWhole) : [];
    const current = new Map(facts.map((f) => [f.id, f]));
    const named: ReportNames["lots"] = new Map(
      lotIds.flatMap((lotId) => {
        const [now, seen] = [current.get(lotId), projected.get(lotId)];
        if (!now && !seen) return [];
        // Inventory's code and unit where it answers; the genealogy's copy of them otherwise.
        const name = {
          code: now?.code ?? seen?.code ?? null,
          uom: now?.uom ?? seen?.uom ?? null,
          materialSku: seen?.sku ?? null,
          materialName: seen?.name ?? null,
        };
        return [[lotId, name] as const];
      }),
    );
    return {
      lots: named,
      parties: new Map(parties.map((p) => [p.party_id, { code: p.code, name: p.name }])),
      shipments: new Map(
        shipments.map((s) => [
          s.shipment_id,
          { reference: s.reference, shippedAt: s.shipped_at ? new Date(s.shipped_at) : null },
        ]),
      ),
    };
  }
}
