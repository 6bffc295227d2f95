import type { SqlDriver, SubgraphName } from "@lotgraph/kit";
import { expect } from "vitest";

/**
 * What a write can leave behind in the services a refusal must not touch: row counts of the
 * change records (ledger, outbox, audit, idempotency keys) and a digest of every lot's status,
 * quantity and release requirements, every run's status and phase, every hold, and the master
 * data production and quality own (lines, gates and their checklists). Identity is
 * left out: it audits every signature attempt, refused or not, on purpose.
 */
const QUERIES: Partial<Record<SubgraphName, string>> = {
  inventory: `SELECT
      (SELECT md5(coalesce(string_agg(id::text || status::text || quantity::text || array_to_string(release_pending, '+'), ',' ORDER BY id), '')) FROM lot) AS lots,
      (SELECT count(*)::text FROM stock_movement) AS movements,
      (SELECT md5(coalesce(string_agg(lot_id::text || hold_id || coalesce(released_at::text, '-'), ',' ORDER BY lot_id, hold_id), '')) FROM lot_hold) AS holds,
      (SELECT md5(coalesce(string_agg(id::text || status::text, ',' ORDER BY id), '')) FROM serial_unit) AS serials,
      (SELECT count(*)::text FROM shipment) AS shipments,
      (SELECT md5(coalesce(string_agg(run_id::text || gate_id || passed::text, ',' ORDER BY run_id, gate_id), '')) FROM run_gate) AS run_gates,
      (SELECT count(*)::text FROM run_hold) AS run_holds,
      (SELECT count(*)::text FROM supplier_hold) AS supplier_holds`,
  production: `SELECT
      (SELECT md5(coalesce(string_agg(id::text || status::text || coalesce(current_phase::text, '-'), ',' ORDER BY id), '')) FROM production_run) AS runs,
      (SELECT md5(coalesce(string_agg(id::text || status::text || coalesce(external_ref, '-'), ',' ORDER BY id), '')) FROM work_order) AS work_orders,
      (SELECT md5(coalesce(string_agg(id::text || code || name || active::text || updated_at::text, ',' ORDER BY id), '')) FROM line) AS lines,
      (SELECT count(*)::text FROM consumption) AS consumptions,
      (SELECT count(*)::text FROM run_output) AS outputs`,
  quality: `SELECT
      (SELECT count(*)::text FROM qc_decision) AS decisions,
      (SELECT md5(coalesce(string_agg(id::text || name || blocking::text || critical_control_point::text || segregation_of_duties::text || active::text || updated_at::text, ',' ORDER BY id), '')) FROM qc_gate) AS gates,
      (SELECT md5(coalesce(string_agg(gate_id::text || position::text || name || lower::text || upper::text || unit, ',' ORDER BY gate_id, position), '')) FROM qc_characteristic) AS checklists,
      (SELECT md5(coalesce(string_agg(id::text || coalesce(released_at::text, '-'), ',' ORDER BY id), '')) FROM hold) AS holds,
      (SELECT md5(coalesce(string_agg(id::text || coalesce(released_at::text, '-'), ',' ORDER BY id), '')) FROM supplier_hold) AS supplier_holds,
      (SELECT md5(coalesce(string_agg(id::text || status::text || coalesce(disposition::text, '-'), ',' ORDER BY id), '')) FROM non_conformance) AS ncrs`,
};
const COMMON = `SELECT (SELECT count(*)::text FROM audit_log) AS audit, (SELECT count(*)::text FROM outbox) AS outbox,
  (SELECT count(*)::text FROM idempotency_key) AS idempotency`;

export async function footprint(databases: Record<SubgraphName, SqlDriver>): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const [name, query] of Object.entries(QUERIES) as Array<[SubgraphName, string]>) {
    const db = databases[name];
    const [own] = await db.query(query);
    const [common] = await db.query(COMMON);
    result[name] = { ...own, ...common };
  }
  return result;
}

/** Runs `refusal`, which must fail, and checks that it changed nothing anywhere. */
export async function expectRefusedWithoutChange<T>(
  databases: Record<SubgraphName, SqlDriver>,
  refusal: () => Promise<T>,
): Promise<T> {
  const before = await footprint(databases);
  const result = await refusal();
  expect(await footprint(databases)).toEqual(before);
  return result;
}
