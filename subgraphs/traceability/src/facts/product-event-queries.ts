import { RUN_TIME_SQL } from "./export-fact-lookups.ts";

/**
 * The SQL that finds a product's Critical Tracking Events in a span of time, on traceability's
 * tables. Parameters: $1 the material id, $2 and $3 the span [from, to). Each part starts from
 * an index on time (migration `fsma204_ranges`), so a span costs what it holds, not the plant's
 * history.
 */

/** Lots of the product received in the span (their receipt is the event). */
const RECEIPTS = `
  SELECT l.lot_id, l.created_at AS at FROM genealogy_lot l
   WHERE l.material_id = $1::uuid AND l.run_id IS NULL AND l.origin_event_id IS NOT NULL
     AND l.created_at >= $2::timestamptz AND l.created_at < $3::timestamptz`;

/**
 * Runs that consumed or output a lot of the product and transformed in the span. A run's time is
 * its first output, else its first consumption, so it has a record in the span when its time is.
 */
const RUNS = `
  WITH candidate AS (
    SELECT run_id FROM run_output_lot WHERE recorded_at >= $2::timestamptz AND recorded_at < $3::timestamptz
    UNION
    SELECT run_id FROM run_consumption WHERE consumed_at >= $2::timestamptz AND consumed_at < $3::timestamptz
  ), timed AS (
    SELECT c.run_id, ${RUN_TIME_SQL("c.run_id")} AS at FROM candidate c
  )
  SELECT t.run_id, t.at FROM timed t
   WHERE t.at >= $2::timestamptz AND t.at < $3::timestamptz
     AND (EXISTS (SELECT 1 FROM run_input i JOIN genealogy_lot l ON l.lot_id = i.lot_id
                   WHERE i.run_id = t.run_id AND l.material_id = $1::uuid)
       OR EXISTS (SELECT 1 FROM run_output_lot o JOIN genealogy_lot l ON l.lot_id = o.lot_id
                   WHERE o.run_id = t.run_id AND l.material_id = $1::uuid))`;

/** Shipment lines of the product's lots whose shipment left in the span. */
const SHIPMENT_LINES = `
  SELECT s.shipment_id, sl.lot_id, s.shipped_at AS at
    FROM shipment_fact s
    JOIN shipment_lot sl ON sl.shipment_id = s.shipment_id
    JOIN genealogy_lot l ON l.lot_id = sl.lot_id
   WHERE l.material_id = $1::uuid AND s.shipped_at >= $2::timestamptz AND s.shipped_at < $3::timestamptz`;

export const PRODUCT_RECEIPTS_SQL = `SELECT lot_id::text AS lot_id FROM (${RECEIPTS}) r`;

export const PRODUCT_RUNS_SQL = `SELECT run_id::text AS run_id, at FROM (${RUNS}) r`;

export const PRODUCT_SHIPMENT_LINES_SQL = `SELECT shipment_id::text AS shipment_id, lot_id::text AS lot_id FROM (${SHIPMENT_LINES}) s`;

/** How many of the product's events fall on each UTC day of the span (a run counts once). */
export const PRODUCT_EVENT_DAYS_SQL = `
  SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS events
    FROM (SELECT at FROM (${RECEIPTS}) r
          UNION ALL SELECT at FROM (${RUNS}) t
          UNION ALL SELECT at FROM (${SHIPMENT_LINES}) s) e
   GROUP BY 1 ORDER BY 1`;
