export type { LotFact, LotQuantityFact, MaterialFact, NamedFact, TraceFacts } from "./facts.ts";
export { InconsistentTraceFactsError } from "./facts.ts";
export { buildEpcisDocument, DEFAULT_IDENTIFIER_BASE, type EpcisOptions } from "./epcis.ts";
export type { EpcisDocument, EpcisEvent } from "./epcis-types.ts";
export { buildFsma204Rows, toCsv, FSMA204_COLUMNS, type Fsma204Row, type Fsma204EventType } from "./fsma204.ts";
