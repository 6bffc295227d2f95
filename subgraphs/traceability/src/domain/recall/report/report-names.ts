/** What a report prints for the ids a case's answer holds; any of them may be missing. */
export interface ReportNames {
  lots: ReadonlyMap<
    string,
    { code: string | null; uom: string | null; materialSku: string | null; materialName: string | null }
  >;
  parties: ReadonlyMap<string, { code: string | null; name: string | null }>;
  shipments: ReadonlyMap<string, { reference: string | null; shippedAt: Date | null }>;
}

/** The ids a report needs names for, each looked up in one batch. */
export interface ReportNameRequest {
  lotIds: readonly string[];
  partyIds: readonly string[];
  shipmentIds: readonly string[];
}

/** Reads names in batches (a fixed number of round trips whatever the size of the case). */
export interface ReportNameReads {
  names(request: ReportNameRequest): Promise<ReportNames>;
}
