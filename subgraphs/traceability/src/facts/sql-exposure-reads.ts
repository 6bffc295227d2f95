import type {
  ExposedLotRow,
  ExposureFlows,
  ExposureReads,
  RunInputRow,
  RunOutputRow,
  SerialRow,
  ShipmentLineRow,
} from "../domain/exposure/exposure-reads.ts";
import type { GenealogyStore } from "../genealogy/port/genealogy-store.ts";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";

/**
 * The reads of an exposure: the descendants from the genealogy store (SQL or Neo4j), and the
 * quantities from traceability's SQL facts, which both modes fill (in services mode the
 * projection writes `run_input` and `run_output_lot` beside the Neo4j graph, see
 * Neo4jProjectionGraph). Every read takes the whole set of lots as one array: a drill on a large
 * plant reaches ten thousand lots, and a query per lot would be ten thousand round trips.
 */
export class SqlExposureReads implements ExposureReads {
  constructor(
    private readonly db: TraceabilityClient | TraceabilityTx,
    private readonly genealogy: Pick<GenealogyStore, "descendants">,
  ) {}

  descendants(lotIds: readonly string[]): Promise<string[]> {
    return this.genealogy.descendants(lotIds);
  }

  async flowsOf(lotIds: readonly string[]): Promise<ExposureFlows> {
    const ids = [...lotIds];
    const [lots, { runOutputs, runInputs }, shipments, serials] = await Promise.all([
      this.#query<ExposedLotRow>(LOTS_SQL, ids),
      this.#runFlows(ids),
      this.#shipments(ids),
      this.#query<SerialRow>(SERIALS_SQL, ids),
    ]);
    return { lots, runOutputs, runInputs, shipments, serials };
  }

  /** The runs that output the lots, then every input of those runs. */
  async #runFlows(ids: string[]): Promise<Pick<ExposureFlows, "runOutputs" | "runInputs">> {
    const runOutputs = await this.#query<RunOutputRow>(OUTPUTS_SQL, ids);
    const runIds = [...new Set(runOutputs.map((o) => o.runId))];
    const runInputs = runIds.length === 0 ? [] : await this.#query<RunInputRow>(INPUTS_SQL, runIds);
    return { runOutputs, runInputs };
  }

  async #shipments(ids: string[]): Promise<ShipmentLineRow[]> {
    const rows = await this.#query<ShipmentLineRow>(SHIPMENTS_SQL, ids);
    // A driver may hand a timestamptz back as text.
    return rows.map((row) => ({ ...row, shippedAt: new Date(row.shippedAt) }));
  }

  #query<Row>(sql: string, ids: string[]): Promise<Row[]> {
    return this.db.$queryRawUnsafe<Row[]>(sql, ids);
  }
}

/**
 * A lot's unit is its receipt's or production's; until that event is seen, its material's (the
 * unit a consumption of it was counted in).
 */
const LOTS_SQL = `SELECT l.lot_id::text AS "lotId", l.quantity::text AS quantity, COALESCE(l.uom, m.uom) AS uom
  FROM genealogy_lot l LEFT JOIN material_fact m ON m.material_id = l.material_id
 WHERE l.lot_id = ANY($1::uuid[])`;

/** run_output_lot has no index on lot_id: one hashed pass over it, whatever the number of lots. */
const OUTPUTS_SQL = `SELECT run_id::text AS "runId", lot_id::text AS "lotId", quantity::text AS quantity
  FROM run_output_lot WHERE lot_id = ANY($1::uuid[])`;

/** By run: the primary key (run_id, lot_id) serves it. */
const INPUTS_SQL = `SELECT i.run_id::text AS "runId", i.lot_id::text AS "lotId", i.quantity::text AS quantity,
       COALESCE(l.uom, m.uom) AS uom
  FROM run_input i
  LEFT JOIN genealogy_lot l ON l.lot_id = i.lot_id
  LEFT JOIN material_fact m ON m.material_id = l.material_id
 WHERE i.run_id = ANY($1::uuid[])`;

const SHIPMENTS_SQL = `SELECT s.shipment_id::text AS "shipmentId", s.customer_id::text AS "customerId",
       s.shipped_at AS "shippedAt", sl.lot_id::text AS "lotId", sl.quantity::text AS quantity
  FROM shipment_lot sl JOIN shipment_fact s ON s.shipment_id = sl.shipment_id
 WHERE sl.lot_id = ANY($1::uuid[])`;

const SERIALS_SQL = `SELECT serial_id::text AS "serialId", lot_id::text AS "lotId", serial_number AS "serialNumber"
  FROM serial_fact WHERE lot_id = ANY($1::uuid[])`;
