import type { FactsIndex } from "./facts-index.ts";
import type { EpcisIdentifiers } from "./identifiers.ts";
import type { EpcisVocabulary } from "./epcis-types.ts";

/** CBV master data attributes (CBV 2.0 §8): short description and lot number of a class, name of a location. */
const DESCRIPTION_SHORT = "urn:epcglobal:cbv:mda#descriptionShort";
const LOT_NUMBER = "urn:epcglobal:cbv:mda#lotNumber";
const NAME = "urn:epcglobal:cbv:mda#name";

/**
 * Master data for the header, so a receiver that knows nothing of our URIs can still read which
 * product and lot each class is and what each location is called. Sorted by id for determinism.
 */
export function buildMasterData(ids: EpcisIdentifiers, index: FactsIndex): EpcisVocabulary[] {
  const classes = index.facts.lots
    .map((lot) => {
      const name = index.materialName(lot.materialId);
      const attributes = [
        ...(name === undefined ? [] : [{ id: DESCRIPTION_SHORT, attribute: name }]),
        { id: LOT_NUMBER, attribute: lot.code },
      ];
      return { id: ids.lotClass(lot.materialId, lot.code), attributes };
    })
    .sort(byId);

  const locationIds = new Set<string>();
  for (const receipt of index.facts.receipts) if (receipt.locationId !== null) locationIds.add(receipt.locationId);
  for (const run of index.facts.transformations) if (run.locationId) locationIds.add(run.locationId);
  for (const shipment of index.facts.shipments) if (shipment.fromLocationId) locationIds.add(shipment.fromLocationId);
  const locations = [...locationIds]
    .flatMap((id) => {
      const location = index.location(id);
      return location === undefined
        ? []
        : [{ id: ids.location(id), attributes: [{ id: NAME, attribute: location.name }] }];
    })
    .sort(byId);

  const vocabularies: EpcisVocabulary[] = [];
  if (classes.length > 0)
    vocabularies.push({ type: "urn:epcglobal:epcis:vtype:EPCClass", vocabularyElementList: classes });
  if (locations.length > 0) {
    // One location URI is used both as readPoint and bizLocation, so it is described under both types.
    vocabularies.push({ type: "urn:epcglobal:epcis:vtype:BusinessLocation", vocabularyElementList: locations });
    vocabularies.push({ type: "urn:epcglobal:epcis:vtype:ReadPoint", vocabularyElementList: locations });
  }
  return vocabularies;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
