import type { AsBuiltView, InstallationRow, TraceReads } from "./records.ts";

/** Deeper than any real assembly; also the guard against a corrupt (cyclic) installation record. */
export const MAX_AS_BUILT_DEPTH = 20;

/**
 * The component tree of `serialId` valid at `at`, one query per level: installations in place at
 * `at` (installed at or before it, not yet removed), serial components expanded in turn. Null
 * when the genealogy knows neither the unit nor anything installed in it.
 */
export async function buildAsBuilt(reads: TraceReads, serialId: string, at: Date): Promise<AsBuiltView | null> {
  const rows = new Map<string, InstallationRow[]>();
  const seen = new Set([serialId]);
  let frontier = [serialId];
  for (let depth = 0; depth < MAX_AS_BUILT_DEPTH && frontier.length > 0; depth++) {
    const installed = await reads.installationsAt(frontier, at);
    const next: string[] = [];
    for (const row of installed) {
      rows.set(row.parentSerialId, [...(rows.get(row.parentSerialId) ?? []), row]);
      const child = row.componentSerialId;
      if (child && !seen.has(child)) {
        seen.add(child);
        next.push(child);
      }
    }
    frontier = next;
  }
  const lots = await reads.lotsOfSerials([...seen]);
  if (!lots.has(serialId) && !rows.has(serialId)) return null;

  const expanded = new Set<string>();
  const node = (serial: string | null, row: InstallationRow | null): AsBuiltView => {
    const lotId = serial ? (lots.get(serial) ?? null) : (row?.componentLotId ?? null);
    // A serial appears once: were a corrupt record to install a unit twice, it is expanded once.
    const children = serial && !expanded.has(serial) ? (rows.get(serial) ?? []) : [];
    if (serial) expanded.add(serial);
    return {
      serial: serial ? { id: serial } : null,
      lot: lotId ? { id: lotId } : null,
      quantity: row?.quantity ?? null,
      installedAt: row?.installedAt ?? null,
      removedAt: row?.removedAt ?? null,
      installationId: row?.installationId ?? null,
      components: children.map((c) => node(c.componentSerialId, c)),
    };
  };
  return node(serialId, null);
}
