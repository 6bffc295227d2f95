/**
 * The part of GS1 EPCIS 2.0 JSON-LD that Lotgraph produces. GS1's JSON schema
 * (`shared/epcis/EPCIS-JSON-Schema.json`) is the authority; tests validate every document against it.
 */

export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/** EPCIS 2.0 quantity element: `quantity` is a JSON number, `uom` a UN/ECE rec 20 code or absent for a count. */
export interface EpcisQuantityElement {
  epcClass: string;
  quantity?: number;
  uom?: string;
}

export interface EpcisBizTransaction {
  type: "bol" | "prodorder" | "po" | "desadv" | "recadv" | "inv";
  bizTransaction: string;
}

export type EpcisSourceDestType = "owning_party" | "possessing_party" | "location";

interface EpcisEventBase {
  eventID: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  readPoint?: { id: string };
  bizLocation?: { id: string };
  bizTransactionList?: EpcisBizTransaction[];
  sourceList?: Array<{ type: EpcisSourceDestType; source: string }>;
  destinationList?: Array<{ type: EpcisSourceDestType; destination: string }>;
}

export interface EpcisObjectEvent extends EpcisEventBase {
  type: "ObjectEvent";
  action: "ADD" | "OBSERVE" | "DELETE";
  quantityList: EpcisQuantityElement[];
  bizStep: "receiving" | "shipping";
  disposition: "in_progress" | "in_transit";
  /** Instance/lot master data; the schema allows it only with action ADD. */
  ilmd?: Record<string, string>;
}

export interface EpcisTransformationEvent extends EpcisEventBase {
  type: "TransformationEvent";
  transformationID: string;
  inputQuantityList?: EpcisQuantityElement[];
  outputQuantityList?: EpcisQuantityElement[];
  bizStep: "commissioning";
  disposition: "active";
}

export interface EpcisAggregationEvent extends EpcisEventBase {
  type: "AggregationEvent";
  action: "ADD" | "DELETE";
  parentID: string;
  childEPCs?: string[];
  childQuantityList?: EpcisQuantityElement[];
  bizStep: "installing" | "removing";
}

export type EpcisEvent = EpcisObjectEvent | EpcisTransformationEvent | EpcisAggregationEvent;

export interface EpcisVocabulary {
  type: string;
  vocabularyElementList: Array<{ id: string; attributes: Array<{ id: string; attribute: string }> }>;
}

export interface EpcisDocument {
  "@context": Array<string | Record<string, string>>;
  type: "EPCISDocument";
  schemaVersion: "2.0";
  creationDate: string;
  epcisHeader?: { epcisMasterData: { vocabularyList: EpcisVocabulary[] } };
  epcisBody: { eventList: EpcisEvent[] };
}
