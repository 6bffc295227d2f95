import type { LotFact, TraceFacts } from "./facts.ts";
import { utcInstant, type FactsIndex } from "./facts-index.ts";
import type { Fsma204Row } from "./fsma204.ts";

/** The FSMA 204 rows of each kind of Critical Tracking Event (fsma204.ts sorts them into the spreadsheet). */

/** The trace's lots and places by id, and where each lot's TLC was assigned. */
export interface Fsma204Context {
  index: FactsIndex;
  tlcSources: ReadonlyMap<string, string>;
}

/** The columns of a lot's event every kind fills the same way. */
function lotColumns({ index, tlcSources }: Fsma204Context, lot: LotFact, at: string) {
  const time = utcInstant(at).toISOString();
  return {
    eventDate: time.slice(0, 10),
    eventTime: time,
    traceabilityLotCode: tlc(lot),
    traceabilityLotCodeSource: tlcSources.get(lot.id) ?? "",
    internalLotCode: lot.code,
    productDescription: index.productDescription(lot.materialId),
  };
}

/** The columns only some kinds fill. */
const EMPTY = {
  immediatePreviousSource: "",
  shipFromLocation: "",
  shipToLocation: "",
  inputTraceabilityLotCodes: "",
  inputDetails: "",
};

/** A row per receipt. */
export function receivingRows(receipts: TraceFacts["receipts"], context: Fsma204Context): Fsma204Row[] {
  const { index } = context;
  return receipts.map((receipt) => ({
    eventType: "Receiving",
    ...lotColumns(context, index.lot(receipt.lotId), receipt.at),
    quantity: receipt.quantity,
    unitOfMeasure: receipt.uom,
    location: index.locationDescription(receipt.locationId),
    ...EMPTY,
    immediatePreviousSource: index.partyDescription(receipt.supplierId),
    referenceDocumentType: "Receiving record",
    referenceDocumentNumber: receipt.eventId,
  }));
}

/** A row per output lot of a run, with every input of the run. */
export function transformationRows(runs: TraceFacts["transformations"], context: Fsma204Context): Fsma204Row[] {
  const { index } = context;
  return runs.flatMap((run) => {
    const inputs = run.inputs.map((input) => ({ input, lot: index.lot(input.lotId) }));
    return run.outputs.map((output): Fsma204Row => ({
      eventType: "Transformation",
      ...lotColumns(context, index.lot(output.lotId), run.at),
      quantity: output.quantity,
      unitOfMeasure: output.uom,
      location: index.locationDescription(run.locationId),
      ...EMPTY,
      inputTraceabilityLotCodes: inputs.map(({ lot }) => tlc(lot)).join("; "),
      inputDetails: inputs
        .map(
          ({ input, lot }) =>
            `${tlc(lot)}: ${index.productDescription(lot.materialId)}, ${input.quantity} ${input.uom}`,
        )
        .join("; "),
      referenceDocumentType: "Production run",
      referenceDocumentNumber: run.runId,
    }));
  });
}

/** A row per shipment line. */
export function shippingRows(shipments: TraceFacts["shipments"], context: Fsma204Context): Fsma204Row[] {
  const { index } = context;
  return shipments.flatMap((shipment) => {
    const from = index.locationDescription(shipment.fromLocationId);
    return shipment.lines.map((line): Fsma204Row => ({
      eventType: "Shipping",
      ...lotColumns(context, index.lot(line.lotId), shipment.at),
      quantity: line.quantity,
      unitOfMeasure: line.uom,
      location: from,
      ...EMPTY,
      shipFromLocation: from,
      shipToLocation: index.partyDescription(shipment.customerId),
      referenceDocumentType: "Bill of lading",
      referenceDocumentNumber: shipment.reference,
    }));
  });
}

/** FSMA 204 keeps the TLC a lot arrived with; we assign one (our code) only when we made the lot or the supplier gave none. */
export function tlc(lot: LotFact): string {
  return lot.supplierLotCode ?? lot.code;
}
