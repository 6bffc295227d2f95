/**
 * Exposure as the API shows it (the `Exposure` type): how much of a source is in each lot made
 * from it, each serial unit and each customer. Quantities and fractions are decimal strings with
 * 6 places, rounded once from exact arithmetic (decision 0023).
 */
export interface ExposureView {
  /** The source lots (depth 0, fraction 1), then every lot made from them by depth. */
  lots: LotExposureView[];
  serials: SerialExposureView[];
  /** Most exposed first. */
  customers: CustomerExposureView[];
  /** What the source lots received or produced, per unit. */
  sourceQuantity: Array<{ quantity: string; uom: string }>;
}

export interface LotExposureView {
  lot: { id: string };
  quantityOfSource: string;
  fraction: string;
  /** The lot's quantity received or produced. */
  quantity: string;
  uom: string;
  depth: number;
}

export interface SerialExposureView {
  serial: { id: string };
  lot: { id: string };
  fraction: string;
}

export interface CustomerExposureView {
  customer: { id: string };
  /** Oldest first. */
  shipments: Array<{ id: string }>;
  quantityOfSource: string;
  uom: string;
}
