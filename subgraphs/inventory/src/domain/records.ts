/** Inventory's records as the domain and resolvers see them (quantities as decimal strings). */
export type MaterialKind = "RAW" | "INTERMEDIATE" | "FINISHED" | "PACKAGING";
export type Tracking = "LOT" | "SERIAL";
export type LocationKind = "SITE" | "AREA" | "LINE" | "BIN";
export type PartyKind = "SUPPLIER" | "CUSTOMER";
export type LotStatus = "AVAILABLE" | "QUARANTINE" | "ON_HOLD" | "CONSUMED" | "SHIPPED" | "SCRAPPED";

export interface MaterialRecord {
  id: string;
  sku: string;
  name: string;
  uom: string;
  kind: MaterialKind;
  tracking: Tracking;
  /** Lots of it are received QUARANTINE until a PASS decision (incoming inspection). */
  inspectionRequired: boolean;
  externalRef: string | null;
  createdAt: Date;
  /** Set when deactivated: no new write may use it (see master-data.ts). */
  deactivatedAt: Date | null;
  /** Kept current by the database on every change (see the master_data_lifecycle migration). */
  updatedAt: Date;
}

export interface LocationRecord {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
  parentId: string | null;
  createdAt: Date;
  /** Set when deactivated: no new write may use it (see master-data.ts). */
  deactivatedAt: Date | null;
  /** Kept current by the database on every change (see the master_data_lifecycle migration). */
  updatedAt: Date;
}

export interface PartyRecord {
  id: string;
  code: string;
  name: string;
  kind: PartyKind;
  externalRef: string | null;
  createdAt: Date;
  /** Set when deactivated: no new write may use it (see master-data.ts). */
  deactivatedAt: Date | null;
  /** Kept current by the database on every change (see the master_data_lifecycle migration). */
  updatedAt: Date;
}

export interface LotRecord {
  id: string;
  code: string;
  materialId: string;
  quantity: string;
  uom: string;
  status: LotStatus;
  locationId: string | null;
  supplierId: string | null;
  supplierLotCode: string | null;
  expiresAt: Date | null;
  /** What the lot waits for before use (see release-requirements.ts); empty for most lots. */
  releasePending: string[];
  externalRef: string | null;
  createdAt: Date;
  /** Kept current by the database on every change. */
  updatedAt: Date;
}

/** Internal `lotFacts`: a lot with its material's kind. */
export interface LotFactsRecord {
  id: string;
  code: string;
  materialId: string;
  materialKind: MaterialKind;
  quantity: string;
  status: LotStatus;
  uom: string;
}

export interface LotFilter {
  materialId?: string | null;
  status?: readonly LotStatus[] | null;
  locationId?: string | null;
  supplierId?: string | null;
  codePrefix?: string | null;
  supplierLotCode?: string | null;
  expiringBefore?: Date | null;
  createdFrom?: Date | null;
  createdBefore?: Date | null;
  updatedSince?: Date | null;
  externalRef?: string | null;
}

/** What the master data lists narrow by (each optional). */
export interface MasterDataFilter {
  updatedSince?: Date | null;
  externalRef?: string | null;
  /** Deactivated ones too (default: active only). */
  includeInactive?: boolean | null;
}

export interface StockMovementFilter {
  since?: Date | null;
  locationId?: string | null;
  materialId?: string | null;
  kind?: MovementKind | null;
}

/** A new row: what the database fills in (updatedAt, deactivatedAt) left out. */
export type New<T> = Omit<T, "updatedAt" | "deactivatedAt">;

export type SerialStatus = "AVAILABLE" | "INSTALLED" | "ON_HOLD" | "CONSUMED" | "SHIPPED" | "SCRAPPED";
export type MovementKind = "RECEIPT" | "TRANSFER" | "CONSUMPTION" | "PRODUCTION" | "ADJUSTMENT" | "SHIPMENT" | "SCRAP";

export interface SerialUnitRecord {
  id: string;
  serialNumber: string;
  materialId: string;
  lotId: string;
  status: SerialStatus;
  locationId: string | null;
  createdAt: Date;
}

/** One ledger entry; `quantity` is signed, `balance` is the lot's on-hand right after it. */
export interface StockMovementRecord {
  id: string;
  seq: string;
  lotId: string;
  kind: MovementKind;
  quantity: string;
  balance: string;
  actorId: string;
  actorName: string;
  reason: string | null;
  fromLocationId: string | null;
  toLocationId: string | null;
  runId: string | null;
  shipmentId: string | null;
  createdAt: Date;
}

export interface ShipmentLineRecord {
  shipmentId: string;
  lineNo: number;
  lotId: string;
  quantity: string;
  /** Serial-tracked lots: the units shipped on this line. */
  serialIds: string[];
}

export interface ShipmentRecord {
  id: string;
  reference: string;
  customerId: string;
  shippedAt: Date;
  actorId: string;
  actorName: string;
  externalRef: string | null;
  /** Kept current by the database (a shipment does not change after it ships). */
  updatedAt: Date;
}

/** Bulk import jobs (issue 20). */
export type { ImportJobRecord, ImportRowErrorRecord } from "./imports/import-records.ts";
