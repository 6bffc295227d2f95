// Exposure by consumption share (decision 0023): what the `exposure` query and recall cases use.
export { computeExposure } from "./compute-exposure.ts";
export { ExposureService, sourceLots, type ExposureStart } from "./exposure-service.ts";
export type {
  ExposureReads,
  ExposureFlows,
  ExposedLotRow,
  RunInputRow,
  RunOutputRow,
  ShipmentLineRow,
  SerialRow,
} from "./exposure-reads.ts";
export type { CustomerExposureView, ExposureView, LotExposureView, SerialExposureView } from "./exposure-views.ts";
