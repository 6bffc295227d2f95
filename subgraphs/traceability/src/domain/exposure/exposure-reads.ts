/**
 * What computing an exposure reads from storage, as plain rows (decision 0023). Quantities are
 * decimal strings as numeric(20, 6) keeps them; a unit is the lot's unit of measure (null while
 * the genealogy has not seen the lot's receipt or production).
 */
export interface ExposureReads {
  /**
   * Every lot made from `lotIds` at any depth, the starts excluded (GenealogyStore.descendants:
   * the same set a recall reaches, from whichever store holds the graph).
   */
  descendants(lotIds: readonly string[]): Promise<string[]>;
  /** The flows around the exposed lots `lotIds`, in a few batched reads (see {@link ExposureFlows}). */
  flowsOf(lotIds: readonly string[]): Promise<ExposureFlows>;
}

/** Everything the allocation and the report need about a set of exposed lots. */
export interface ExposureFlows {
  /** Each exposed lot the genealogy has a row for: its quantity received or produced, and unit. */
  lots: ExposedLotRow[];
  /** Every output of an exposed lot by a run (a lot output by several runs has a row per run). */
  runOutputs: RunOutputRow[];
  /**
   * Every input of every run in `runOutputs`, exposed or not: a run's shares are taken among
   * all it consumed.
   */
  runInputs: RunInputRow[];
  /** Every shipment line that carried an exposed lot. */
  shipments: ShipmentLineRow[];
  /** The serial units of the exposed lots. */
  serials: SerialRow[];
}

export interface ExposedLotRow {
  lotId: string;
  quantity: string | null;
  uom: string | null;
}

export interface RunOutputRow {
  runId: string;
  lotId: string;
  /** What the run output of the lot, summed over its output records (null for rows older than that sum). */
  quantity: string | null;
}

export interface RunInputRow {
  runId: string;
  lotId: string;
  /** What the run consumed of the lot, in the lot's unit. */
  quantity: string;
  /** The consumed lot's unit. */
  uom: string | null;
}

export interface ShipmentLineRow {
  shipmentId: string;
  customerId: string;
  shippedAt: Date;
  lotId: string;
  quantity: string;
}

export interface SerialRow {
  serialId: string;
  lotId: string;
  serialNumber: string;
}
