import {
  badInput,
  isUuid,
  requireInternal,
  readPage,
  requireAuthenticated,
  toConnection,
  type Connection,
  type Database,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { pageMovements, type LedgerPosition } from "../store/ledger-store.ts";
import { sumLedgerByKind } from "../store/ledger-totals-store.ts";
import { findSerialsByNumber } from "../store/serial-store.ts";
import { MAX_LOT_LEDGER_TOTALS, ledgerTotals, type LotLedgerTotalsRecord } from "./ledger-totals.ts";
import type {
  LocationRecord,
  LotFilter,
  LotRecord,
  LotFactsRecord,
  MasterDataFilter,
  MaterialRecord,
  PartyRecord,
  SerialUnitRecord,
  StockMovementFilter,
  StockMovementRecord,
} from "./records.ts";

/** The most lots one `lotFacts` call answers (callers batch). */
export const MAX_LOT_FACTS = 5000;

const isRecord = <T>(value: T | null | Error): value is T => value !== null && !(value instanceof Error);

/** What reads batch through: the request's loaders (lots and materials by id). */
export interface QueryLoaders {
  lot: { loadMany(ids: readonly string[]): Promise<Array<LotRecord | null | Error>> };
  material: Loader<MaterialRecord>;
  location: Loader<LocationRecord>;
  party: Loader<PartyRecord>;
}

interface Loader<T> {
  load(id: string): Promise<T | null>;
  loadMany(ids: readonly string[]): Promise<Array<T | null | Error>>;
}

/** The one key given of two (`id` or a natural key), BAD_USER_INPUT unless exactly one is. */
function oneKey<K extends string>(
  args: { id?: string | null } & Partial<Record<K, string | null>>,
  natural: K,
): { id: string } | { natural: string } {
  const id = args.id ?? null;
  const value = (args[natural] as string | null | undefined) ?? null;
  if ((id === null) === (value === null)) throw badInput("id", `give exactly one of id or ${natural}`);
  return id !== null ? { id } : { natural: value! };
}

/** Reads: any signed-in caller. Built per request, with that request's loaders. */
export class InventoryQueries {
  constructor(
    private readonly db: Database<InventoryClient, InventoryTx>,
    private readonly loaders: QueryLoaders,
  ) {}

  /** Reads need a signed-in caller; `read` is the lookup to run once that holds. */
  readable<T>(caller: Principal | null, read: () => Promise<T>): Promise<T> {
    requireAuthenticated(caller);
    return read();
  }

  /** By id, by code or by the ERP's key (exactly one). */
  async lot(
    caller: Principal | null,
    args: { id?: string | null; code?: string | null; externalRef?: string | null },
  ): Promise<LotRecord | null> {
    requireAuthenticated(caller);
    const keys = [args.id, args.code, args.externalRef].filter(Boolean).length;
    if (keys !== 1) throw badInput("id", "give exactly one of id, code or externalRef");
    if (args.id) return isUuid(args.id) ? ((await store.findLots(this.db.client, [args.id]))[0] ?? null) : null;
    if (args.externalRef) return store.findLotByExternalRef(this.db.client, args.externalRef);
    return store.findLotByCode(this.db.client, args.code ?? "");
  }

  async lots(caller: Principal | null, filter: LotFilter, pageArgs: PageArgs): Promise<Connection<LotRecord>> {
    requireAuthenticated(caller);
    const page = readPage(pageArgs);
    if (filter.createdFrom && filter.createdBefore && filter.createdFrom >= filter.createdBefore)
      throw badInput("createdBefore", "createdBefore must be after createdFrom");
    const { rows, totalCount } = await store.pageLots(this.db.client, filter, page);
    return toConnection(rows, page, (lot) => [lot.createdAt.toISOString(), lot.id], totalCount);
  }

  /** By id, or by serial number (unique per material; ambiguous across materials without materialId). */
  async serialUnit(
    caller: Principal | null,
    args: { id?: string | null; serialNumber?: string | null; materialId?: string | null },
  ): Promise<SerialUnitRecord | null> {
    requireAuthenticated(caller);
    if (Boolean(args.id) === Boolean(args.serialNumber)) throw badInput("id", "give exactly one of id or serialNumber");
    if (args.id) {
      if (!isUuid(args.id)) return null;
      return (await this.db.client.serialUnit.findUnique({ where: { id: args.id } })) ?? null;
    }
    if (args.materialId && !isUuid(args.materialId)) return null;
    const found = await findSerialsByNumber(this.db.client, args.serialNumber ?? "", args.materialId ?? null);
    if (found.length > 1)
      throw badInput("materialId", `serial number ${args.serialNumber} exists for several materials: give materialId`);
    return found[0] ?? null;
  }

  /**
   * Internal: lots with their material's kind, for traceability's recall. Through the request's
   * loaders, so the lots and their materials cost one query each.
   */
  async lotFacts(caller: Principal | null, ids: readonly string[]): Promise<LotFactsRecord[]> {
    requireInternal(caller);
    if (ids.length > MAX_LOT_FACTS) throw badInput("ids", `at most ${MAX_LOT_FACTS} ids per call`);
    const lots = (await this.loaders.lot.loadMany([...new Set(ids)].filter(isUuid))).filter(isRecord);
    const materialIds = [...new Set(lots.map((lot) => lot.materialId))];
    const materials = new Map(
      (await this.loaders.material.loadMany(materialIds)).filter(isRecord).map((m) => [m.id, m] as const),
    );
    return lots.flatMap((lot) => {
      const material = materials.get(lot.materialId);
      if (!material) return [];
      const { id, code, materialId, quantity, status, uom } = lot;
      return [{ id, code, materialId, materialKind: material.kind, quantity, status, uom }];
    });
  }

  /**
   * Internal: each lot's ledger summed by what its movements did, for the reconciliation of
   * traceability's recall cases. One grouped query for all the lots (see ledger-totals.ts).
   */
  async lotLedgerTotals(caller: Principal | null, ids: readonly string[]): Promise<LotLedgerTotalsRecord[]> {
    requireInternal(caller);
    if (ids.length > MAX_LOT_LEDGER_TOTALS) throw badInput("ids", `at most ${MAX_LOT_LEDGER_TOTALS} ids per call`);
    const lotIds = [...new Set(ids)].filter(isUuid);
    return ledgerTotals(lotIds, await sumLedgerByKind(this.db.client, lotIds));
  }

  /** By id or by SKU (an ERP's own key for it). */
  async material(caller: Principal | null, args: { id?: string | null; sku?: string | null }) {
    requireAuthenticated(caller);
    const key = oneKey(args, "sku");
    if ("id" in key) return isUuid(key.id) ? this.loaders.material.load(key.id) : null;
    return store.findMaterialBySku(this.db.client, key.natural);
  }

  /** By id or by code (the one on the rack or the door). */
  async location(caller: Principal | null, args: { id?: string | null; code?: string | null }) {
    requireAuthenticated(caller);
    const key = oneKey(args, "code");
    if ("id" in key) return isUuid(key.id) ? this.loaders.location.load(key.id) : null;
    return store.findLocationByCode(this.db.client, key.natural);
  }

  /** By id or by code (the supplier or customer number the ERP uses). */
  async party(caller: Principal | null, args: { id?: string | null; code?: string | null }) {
    requireAuthenticated(caller);
    const key = oneKey(args, "code");
    if ("id" in key) return isUuid(key.id) ? this.loaders.party.load(key.id) : null;
    return store.findPartyByCode(this.db.client, key.natural);
  }

  /**
   * Master data lists show active entries unless asked for deactivated ones too: what a person
   * picks from must be usable, while an ERP syncing with updatedSince asks for all to see
   * deactivations (a deactivation is a change: it moves updatedAt).
   */
  async materials(
    caller: Principal | null,
    filter: MasterDataFilter,
    pageArgs: PageArgs,
  ): Promise<Connection<MaterialRecord>> {
    requireAuthenticated(caller);
    const page = readPage(pageArgs);
    const { rows, totalCount } = await store.pageMaterials(this.db.client, filter, page);
    return toConnection(rows, page, (m) => [m.sku], totalCount);
  }

  async locations(caller: Principal | null, filter: MasterDataFilter): Promise<LocationRecord[]> {
    requireAuthenticated(caller);
    return store.listLocations(this.db.client, filter);
  }

  async parties(
    caller: Principal | null,
    kind: PartyRecord["kind"] | null,
    filter: MasterDataFilter,
  ): Promise<PartyRecord[]> {
    requireAuthenticated(caller);
    return store.listParties(this.db.client, kind, filter);
  }

  /** The ledger across lots, oldest first (see pageMovements for what "first" guarantees). */
  async stockMovements(
    caller: Principal | null,
    filter: StockMovementFilter,
    pageArgs: PageArgs,
  ): Promise<Connection<StockMovementRecord>> {
    requireAuthenticated(caller);
    const empty = toConnection([], readPage(pageArgs), () => [], 0);
    // An id that is not a uuid names nothing: no movement matches it.
    if ((filter.locationId && !isUuid(filter.locationId)) || (filter.materialId && !isUuid(filter.materialId)))
      return empty;
    const page = readPage(pageArgs);
    const after = page.after ? ledgerPosition(page.after) : null;
    const { rows, totalCount } = await pageMovements(this.db.client, filter, page.limit, after);
    const connection = toConnection(rows, page, (row) => [row.position.txId, row.position.seq], totalCount);
    return {
      ...connection,
      // A poller keeps its place on a page with nothing new: the cursor it came with.
      pageInfo: { ...connection.pageInfo, endCursor: connection.pageInfo.endCursor ?? pageArgs.after ?? null },
      edges: connection.edges.map((edge) => ({ ...edge, node: edge.node.movement })),
    };
  }
}

/** A stockMovements cursor's key: the writing transaction and the seq, both digits. */
function ledgerPosition(key: string[]): LedgerPosition {
  const [txId, seq] = key;
  if (key.length !== 2 || !/^\d{1,20}$/.test(txId ?? "") || !/^\d{1,19}$/.test(seq ?? ""))
    throw badInput("after", "after is not a cursor returned by stockMovements");
  return { txId: txId!, seq: seq! };
}

/** The shape of one page of a ledger, as the loaders batch it. */
export interface MovementPageRequest {
  limit: number;
  afterSeq: bigint | null;
}

/**
 * A page of stock movements, oldest first; cursor = the movement's global ledger sequence number,
 * so it survives restarts (`Lot.movements` and `stockMovements` share it).
 */
export async function movementConnection(
  pageArgs: PageArgs,
  load: (request: MovementPageRequest) => Promise<{ rows: StockMovementRecord[]; totalCount: number }>,
): Promise<Connection<StockMovementRecord>> {
  const page = readPage(pageArgs);
  const [after] = page.after ?? [];
  if (after !== undefined && !/^\d{1,19}$/.test(after))
    throw badInput("after", "after is not a cursor returned by this connection");
  const { rows, totalCount } = await load({ limit: page.limit, afterSeq: after ? BigInt(after) : null });
  return toConnection(rows, page, (m) => [m.seq], totalCount);
}
