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
  createdAt: Date;
}

export interface LotFilter {
  materialId?: string | null;
  status?: readonly LotStatus[] | null;
  locationId?: string | null;
  supplierId?: string | null;
  codePrefix?: string | null;
  supplierLotCode?: string | null;
  expiringBefore?: Date | null;
}
