import type { InstallationRow, MassBalanceSums, TraceReads } from "../domain/records.ts";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";

/** The relational reads of trace, recall, as-built and mass balance, on traceability's database. */
export class SqlTraceReads implements TraceReads {
  constructor(private readonly db: TraceabilityClient | TraceabilityTx) {}

  async shipmentsOfLots(lotIds: readonly string[]): Promise<string[]> {
    if (lotIds.length === 0) return [];
    const rows = await this.db.$queryRawUnsafe<Array<{ id: string }>>(
      `SELECT s.shipment_id::text AS id FROM shipment_fact s
        WHERE EXISTS (SELECT 1 FROM shipment_lot l WHERE l.shipment_id = s.shipment_id AND l.lot_id = ANY($1::uuid[]))
        ORDER BY s.shipped_at, s.shipment_id`,
      [...lotIds],
    );
    return rows.map((r) => r.id);
  }

  async lotsOfSerials(serialIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.serialFact.findMany({
      where: { serialId: { in: [...serialIds] } },
      select: { serialId: true, lotId: true },
    });
    return new Map(rows.map((r) => [r.serialId, r.lotId]));
  }

  async installationsAt(parentSerialIds: readonly string[], at: Date): Promise<InstallationRow[]> {
    const rows = await this.db.installation.findMany({
      where: {
        parentSerialId: { in: [...parentSerialIds] },
        installedAt: { lte: at },
        OR: [{ removedAt: null }, { removedAt: { gt: at } }],
      },
      orderBy: [{ installedAt: "asc" }, { installationId: "asc" }],
    });
    return rows.map((r) => ({ ...r, quantity: r.quantity.toString() }));
  }

  async massBalance(runId: string): Promise<MassBalanceSums[]> {
    const rows = await this.db.$queryRawUnsafe<
      Array<{ uom: string; input: string; output: string; difference: string; percent: number | null }>
    >(
      `WITH flows AS (
         SELECT COALESCE(l.uom, '?') AS uom, i.quantity AS input, 0::numeric AS output
           FROM run_input i LEFT JOIN genealogy_lot l ON l.lot_id = i.lot_id WHERE i.run_id = $1::uuid
         UNION ALL
         SELECT COALESCE(l.uom, '?'), 0, COALESCE(o.quantity, 0)
           FROM run_output_lot o LEFT JOIN genealogy_lot l ON l.lot_id = o.lot_id WHERE o.run_id = $1::uuid
       ), sums AS (SELECT uom, sum(input) AS input, sum(output) AS output FROM flows GROUP BY uom)
       SELECT uom, input::text, output::text, (input - output)::text AS difference,
              CASE WHEN input = 0 THEN NULL ELSE ((input - output) * 100 / input)::float8 END AS percent
         FROM sums ORDER BY uom`,
      runId,
    );
    return rows.map((r) => ({ ...r, percent: r.percent === null ? null : Number(r.percent) }));
  }
}
