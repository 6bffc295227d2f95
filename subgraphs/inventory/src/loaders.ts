import DataLoader from "dataloader";
import { byId, keyedLoader } from "@lotgraph/kit";
import type {
  LocationRecord,
  LotRecord,
  MaterialRecord,
  PartyRecord,
  SerialUnitRecord,
  ShipmentLineRecord,
  ShipmentRecord,
  StockMovementRecord,
} from "./domain/records.ts";
import { findLocations, findLots, findMaterials, findParties, type InventoryClient } from "./store/inventory-store.ts";
import { pageMovementsByLot } from "./store/ledger-store.ts";
import { findSerials, serialsOfLots } from "./store/serial-store.ts";
import { findShipments, linesOfShipments } from "./store/shipment-store.ts";

export interface MovementPage {
  rows: StockMovementRecord[];
  totalCount: number;
}

export interface InventoryLoaders {
  material: DataLoader<string, MaterialRecord | null>;
  location: DataLoader<string, LocationRecord | null>;
  party: DataLoader<string, PartyRecord | null>;
  lot: DataLoader<string, LotRecord | null>;
  serial: DataLoader<string, SerialUnitRecord | null>;
  shipment: DataLoader<string, ShipmentRecord | null>;
  serialsByLot: DataLoader<string, SerialUnitRecord[]>;
  linesByShipment: DataLoader<string, ShipmentLineRecord[]>;
  /** Key: lot id, page size and the seq to start after; one query per distinct page shape. */
  movementPage: DataLoader<MovementPageKey, MovementPage, string>;
}

export interface MovementPageKey {
  lotId: string;
  limit: number;
  afterSeq: bigint | null;
}

/** Batches one-to-many lookups: every parent id gets its (possibly empty) list. */
function manyBy<T>(
  fetch: (ids: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T[]> {
  return keyedLoader(async (ids) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch(ids)) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
    return groups;
  }, []);
}

/** A page of lots asking for their movements costs one query per page shape, not one per lot. */
function movementPages(db: InventoryClient): DataLoader<MovementPageKey, MovementPage, string> {
  return new DataLoader(
    async (keys) => {
      const shapes = new Map<string, { limit: number; afterSeq: bigint | null; lotIds: string[] }>();
      for (const key of keys) {
        const shape = `${key.limit}:${key.afterSeq ?? ""}`;
        const group = shapes.get(shape) ?? { limit: key.limit, afterSeq: key.afterSeq, lotIds: [] };
        group.lotIds.push(key.lotId);
        shapes.set(shape, group);
      }
      const results = new Map<string, MovementPage>();
      for (const [shape, group] of shapes) {
        const pages = await pageMovementsByLot(db, group.lotIds, group.limit, group.afterSeq);
        for (const [lotId, page] of pages) results.set(`${lotId}:${shape}`, page);
      }
      return keys.map((key) => results.get(cacheKey(key)) ?? { rows: [], totalCount: 0 });
    },
    { cacheKeyFn: cacheKey },
  );
}

const cacheKey = (key: MovementPageKey) => `${key.lotId}:${key.limit}:${key.afterSeq ?? ""}`;

/** Per-request loaders (also behind `__resolveReference`), so a page of lots costs one query per type. */
export function createLoaders(db: InventoryClient): InventoryLoaders {
  return {
    material: keyedLoader(async (ids) => byId(await findMaterials(db, ids))),
    location: keyedLoader(async (ids) => byId(await findLocations(db, ids))),
    party: keyedLoader(async (ids) => byId(await findParties(db, ids))),
    lot: keyedLoader(async (ids) => byId(await findLots(db, ids))),
    serial: keyedLoader(async (ids) => byId(await findSerials(db, ids))),
    shipment: keyedLoader(async (ids) => byId(await findShipments(db, ids))),
    serialsByLot: manyBy(
      (ids) => serialsOfLots(db, ids),
      (s) => s.lotId,
    ),
    linesByShipment: manyBy(
      (ids) => linesOfShipments(db, ids),
      (l) => l.shipmentId,
    ),
    movementPage: movementPages(db),
  };
}
