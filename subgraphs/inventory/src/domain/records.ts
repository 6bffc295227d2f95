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
  createdAt: Date;
}

export interface LocationRecord {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
  parentId: string | null;
  createdAt: Date;
}

export interface PartyRecord {
  id: string;
  code: string;
  name: string;
  kind: PartyKind;
  createdAt: Date;
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
  createdAt: Date;
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
}

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
}

/** Bulk import jobs (issue 20). */
export type { ImportJobRecord, ImportRowErrorRecord } from "./imports/import-records.ts";
