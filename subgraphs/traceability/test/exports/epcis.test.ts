import { describe, expect, it } from "vitest";
import { formatEpcisErrors, validateEpcis } from "@lotgraph/tests/support/epcis-schema";
import { buildEpcisDocument } from "../../src/domain/exports/epcis.ts";
import type { EpcisDocument, EpcisEvent } from "../../src/domain/exports/epcis-types.ts";
import { InconsistentTraceFactsError, type TraceFacts } from "../../src/domain/exports/facts.ts";
import { bakeryFacts } from "./bakery-facts.ts";

const creationDate = new Date("2026-03-07T12:00:00.000Z");
const BASE = "https://id.lotgraph.local";

function expectValid(document: unknown): void {
  const { valid, errors } = validateEpcis(document);
  expect(valid, `GS1 EPCIS schema errors:\n${formatEpcisErrors(errors)}\n${JSON.stringify(document, null, 2)}`).toBe(
    true,
  );
}

function eventsOf<T extends EpcisEvent["type"]>(doc: EpcisDocument, type: T): Array<Extract<EpcisEvent, { type: T }>> {
  return doc.epcisBody.eventList.filter((e): e is Extract<EpcisEvent, { type: T }> => e.type === type);
}

/** A deep copy as plain JSON, to break documents on purpose. */
function mutable(doc: EpcisDocument): { epcisBody: { eventList: Array<Record<string, unknown>> } } {
  return JSON.parse(JSON.stringify(doc));
}

describe("the GS1 schema validator", () => {
  it("accepts a TransformationEvent document written by hand to the standard", () => {
    // Not produced by our builder: shows the validator accepts what EPCIS 2.0 allows, so that
    // the refusals below are the schema's and not an over-strict setup.
    const handWritten = {
      "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2026-03-07T12:00:00.000Z",
      epcisBody: {
        eventList: [
          {
            type: "TransformationEvent",
            eventTime: "2026-03-07T08:30:00.000+01:00",
            eventTimeZoneOffset: "+01:00",
            inputQuantityList: [{ epcClass: "urn:epc:class:lgtin:4012345.011111.flour-17", quantity: 25, uom: "KGM" }],
            outputQuantityList: [{ epcClass: "urn:epc:class:lgtin:4012345.022222.bread-3", quantity: 40, uom: "KGM" }],
            transformationID: "urn:uuid:6f1d3a2e-0c4b-4d7e-9a51-1e2f3a4b5c6d",
            bizStep: "commissioning",
            disposition: "active",
            readPoint: { id: "urn:epc:id:sgln:4012345.00001.0" },
          },
        ],
      },
    };
    expectValid(handWritten);
  });

  it.each([
    ["an event without eventTime", (e: Record<string, unknown>) => delete e["eventTime"]],
    ["an eventTime that is not a date-time", (e: Record<string, unknown>) => (e["eventTime"] = "yesterday")],
    ["an unknown action", (e: Record<string, unknown>) => (e["action"] = "RECEIVE")],
    ["a bizStep outside CBV 2.0", (e: Record<string, unknown>) => (e["bizStep"] = "transforming")],
    [
      "a quantity as a string",
      (e: Record<string, unknown>) => (e["quantityList"] = [{ epcClass: `${BASE}/c`, quantity: "250" }]),
    ],
    [
      "a uom that is not a rec 20 code",
      (e: Record<string, unknown>) => (e["quantityList"] = [{ epcClass: `${BASE}/c`, quantity: 1, uom: "kg" }]),
    ],
    [
      "an epcClass that is not a URI",
      (e: Record<string, unknown>) => (e["quantityList"] = [{ epcClass: "lot F-0301" }]),
    ],
    ["ILMD on an OBSERVE event", (e: Record<string, unknown>) => (e["action"] = "OBSERVE")],
    ["a field EPCIS does not define", (e: Record<string, unknown>) => (e["lotCode"] = "F-0301")],
  ])("rejects %s", (_name, breakIt) => {
    const doc = mutable(buildEpcisDocument(bakeryFacts(), { creationDate }));
    // The first event is the flour receipt: an ObjectEvent ADD with ILMD.
    const at = doc.epcisBody.eventList.findIndex((e) => e["bizStep"] === "receiving");
    const receipt = doc.epcisBody.eventList[at];
    expect(receipt).toBeDefined();
    if (receipt !== undefined) breakIt(receipt);
    const { valid, errors } = validateEpcis(doc);
    expect(valid).toBe(false);
    // Failing for the broken event, not for something else in the document.
    expect(errors.map((e) => e.instancePath)).toContainEqual(
      expect.stringMatching(new RegExp(`^/epcisBody/eventList/${at}\\b`)),
    );
  });

  it("rejects a document without creationDate", () => {
    const { creationDate: _dropped, ...rest } = buildEpcisDocument(bakeryFacts(), { creationDate });
    expect(validateEpcis(rest).valid).toBe(false);
  });
});

describe("buildEpcisDocument", () => {
  it("produces documents that pass GS1's EPCIS 2.0 JSON schema, in both directions", () => {
    const downstream = bakeryFacts();
    expectValid(buildEpcisDocument(downstream, { creationDate }));
    expectValid(
      buildEpcisDocument({ ...downstream, direction: "UPSTREAM", rootLotId: "lot-cookie-a" }, { creationDate }),
    );
    expectValid(buildEpcisDocument(downstream, { creationDate, identifierBase: "https://trace.example.com/lg/" }));
  });

  it("has the EPCIS 2.0 envelope", () => {
    const doc = buildEpcisDocument(bakeryFacts(), { creationDate });
    expect(doc["@context"][0]).toBe("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
    expect(doc).toMatchObject({
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2026-03-07T12:00:00.000Z",
    });
  });

  it("emits one event per receipt, run, shipment and installation change, in time order", () => {
    const doc = buildEpcisDocument(bakeryFacts(), { creationDate });
    const list = doc.epcisBody.eventList;
    expect(list.map((e) => [e.type, "action" in e ? e.action : "-", e.bizStep])).toEqual([
      ["AggregationEvent", "ADD", "installing"],
      ["ObjectEvent", "ADD", "receiving"],
      ["ObjectEvent", "ADD", "receiving"],
      ["TransformationEvent", "-", "commissioning"],
      ["TransformationEvent", "-", "commissioning"],
      ["AggregationEvent", "ADD", "installing"],
      ["ObjectEvent", "OBSERVE", "shipping"],
      ["AggregationEvent", "DELETE", "removing"],
    ]);
    const times = list.map((e) => e.eventTime);
    expect(times).toEqual([...times].sort());
    expect(list.every((e) => e.eventTimeZoneOffset === "+00:00")).toBe(true);
    expect(new Set(list.map((e) => e.eventID)).size).toBe(list.length);
    for (const e of list)
      expect(e.eventID).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("states receipts with the lot class, quantity in rec 20 units, supplier and ILMD", () => {
    const [flour, sugar] = eventsOf(buildEpcisDocument(bakeryFacts(), { creationDate }), "ObjectEvent");
    expect(flour).toMatchObject({
      disposition: "in_progress",
      quantityList: [{ epcClass: `${BASE}/class/mat-flour/lot/F-0301`, quantity: 250, uom: "KGM" }],
      readPoint: { id: `${BASE}/location/loc-dock` },
      bizLocation: { id: `${BASE}/location/loc-dock` },
      sourceList: [{ type: "owning_party", source: `${BASE}/party/sup-mill` }],
      ilmd: { "cbvmda:lotNumber": "F-0301", "lotgraph:supplierLotCode": "SL-4471" },
    });
    expect(sugar?.quantityList).toEqual([
      { epcClass: `${BASE}/class/mat-sugar/lot/S-0302`, quantity: 80.5, uom: "KGM" },
    ]);
    expect(sugar?.ilmd).toEqual({ "cbvmda:lotNumber": "S-0302" });
  });

  it("states runs as transformations from input lots to output lots", () => {
    const [mix, bake] = eventsOf(buildEpcisDocument(bakeryFacts(), { creationDate }), "TransformationEvent");
    expect(mix).toMatchObject({
      transformationID: `${BASE}/run/run-1`,
      inputQuantityList: [
        { epcClass: `${BASE}/class/mat-flour/lot/F-0301`, quantity: 250, uom: "KGM" },
        { epcClass: `${BASE}/class/mat-sugar/lot/S-0302`, quantity: 70.25, uom: "KGM" },
      ],
      outputQuantityList: [{ epcClass: `${BASE}/class/mat-dough/lot/D-0303`, quantity: 318.75, uom: "KGM" }],
      disposition: "active",
      bizLocation: { id: `${BASE}/location/loc-mix` },
    });
    // Counted units carry no uom: EPCIS reads the quantity as a number of instances.
    expect(bake?.outputQuantityList).toEqual([
      { epcClass: `${BASE}/class/mat-cookie/lot/C-0304-A`, quantity: 1200 },
      { epcClass: `${BASE}/class/mat-cookie/lot/C-0304-B`, quantity: 600 },
    ]);
  });

  it("states a shipment with its lines, bill of lading, origin and customer", () => {
    const shipping = eventsOf(buildEpcisDocument(bakeryFacts(), { creationDate }), "ObjectEvent").find(
      (e) => e.bizStep === "shipping",
    );
    expect(shipping).toMatchObject({
      action: "OBSERVE",
      disposition: "in_transit",
      quantityList: [
        { epcClass: `${BASE}/class/mat-cookie/lot/C-0304-A`, quantity: 1000 },
        { epcClass: `${BASE}/class/mat-cookie/lot/C-0304-B`, quantity: 600 },
      ],
      bizTransactionList: [{ type: "bol", bizTransaction: `${BASE}/bol/BOL-2026-0042` }],
      sourceList: [{ type: "location", source: `${BASE}/location/loc-wh` }],
      destinationList: [{ type: "owning_party", destination: `${BASE}/party/cus-grocer` }],
    });
    expect(shipping).not.toHaveProperty("ilmd");
  });

  it("states serial assembly as aggregations of a serial or a lot-tracked component", () => {
    const [install, box, remove] = eventsOf(buildEpcisDocument(bakeryFacts(), { creationDate }), "AggregationEvent");
    expect(install).toMatchObject({
      parentID: `${BASE}/serial/ser-oven-7`,
      childEPCs: [`${BASE}/serial/ser-thermo-3`],
    });
    expect(box).toMatchObject({ childQuantityList: [{ epcClass: `${BASE}/class/mat-cookie/lot/C-0304-A` }] });
    expect(remove).toMatchObject({ action: "DELETE", childEPCs: [`${BASE}/serial/ser-thermo-3`] });
    expect(install?.eventID).not.toBe(remove?.eventID);
  });

  it("describes lot classes and locations in the header's master data", () => {
    const doc = buildEpcisDocument(bakeryFacts(), { creationDate });
    const [classes, locations] = doc.epcisHeader?.epcisMasterData.vocabularyList ?? [];
    expect(classes?.type).toBe("urn:epcglobal:epcis:vtype:EPCClass");
    expect(classes?.vocabularyElementList).toContainEqual({
      id: `${BASE}/class/mat-flour/lot/F-0301`,
      attributes: [
        { id: "urn:epcglobal:cbv:mda#descriptionShort", attribute: "Wheat flour, type 550" },
        { id: "urn:epcglobal:cbv:mda#lotNumber", attribute: "F-0301" },
      ],
    });
    expect(locations?.vocabularyElementList).toHaveLength(4);
  });

  it("is deterministic: the same facts, in any order, give byte-identical JSON", () => {
    const facts = bakeryFacts();
    const shuffled: TraceFacts = {
      ...structuredClone(facts),
      lots: [...facts.lots].reverse(),
      receipts: [...facts.receipts].reverse(),
      transformations: [...facts.transformations].reverse(),
      shipments: [...facts.shipments].reverse(),
      aggregations: [...facts.aggregations].reverse(),
      locations: [...(facts.locations ?? [])].reverse(),
    };
    const first = JSON.stringify(buildEpcisDocument(facts, { creationDate }));
    expect(JSON.stringify(buildEpcisDocument(bakeryFacts(), { creationDate }))).toBe(first);
    expect(JSON.stringify(buildEpcisDocument(shuffled, { creationDate }))).toBe(first);
  });

  it("keeps event ids stable across documents and distinct across identifier bases", () => {
    const ids = (doc: EpcisDocument) => doc.epcisBody.eventList.map((e) => e.eventID);
    const downstream = buildEpcisDocument(bakeryFacts(), { creationDate });
    const later = buildEpcisDocument(bakeryFacts(), { creationDate: new Date("2027-01-01T00:00:00Z") });
    const elsewhere = buildEpcisDocument(bakeryFacts(), { creationDate, identifierBase: "https://id.other.example" });
    expect(ids(later)).toEqual(ids(downstream));
    expect(ids(elsewhere).filter((id) => ids(downstream).includes(id))).toEqual([]);
  });

  it("percent-encodes free-text codes into valid URIs", () => {
    const facts = bakeryFacts();
    const flour = facts.lots[0];
    if (flour !== undefined) flour.code = "F 03/01 #2 ü";
    const first = facts.shipments[0];
    if (first !== undefined) first.reference = "BOL 42/2026";
    const doc = buildEpcisDocument(facts, { creationDate });
    expectValid(doc);
    expect(JSON.stringify(doc)).toContain(`${BASE}/class/mat-flour/lot/F%2003%2F01%20%232%20%C3%BC`);
  });

  it("keeps the lot but drops the quantity when the unit has no rec 20 code", () => {
    const facts = bakeryFacts();
    const sugar = facts.receipts[1];
    if (sugar !== undefined) sugar.uom = "sack";
    const doc = buildEpcisDocument(facts, { creationDate });
    expectValid(doc);
    const receipt = eventsOf(doc, "ObjectEvent").find((e) => e.eventTime === "2026-03-02T09:30:00.000Z");
    expect(receipt?.quantityList).toEqual([{ epcClass: `${BASE}/class/mat-sugar/lot/S-0302` }]);
  });

  it("keeps the lot but drops the quantity when the quantity is unknown", () => {
    const facts = bakeryFacts();
    const sugar = facts.receipts[1];
    if (sugar !== undefined) sugar.quantity = "";
    const doc = buildEpcisDocument(facts, { creationDate });
    expectValid(doc);
    const receipt = eventsOf(doc, "ObjectEvent").find((e) => e.eventTime === "2026-03-02T09:30:00.000Z");
    expect(receipt?.quantityList).toEqual([{ epcClass: `${BASE}/class/mat-sugar/lot/S-0302` }]);
  });

  it("stays valid for a run with inputs only and for facts without master data", () => {
    const facts = bakeryFacts();
    const bake = facts.transformations[1];
    if (bake !== undefined) bake.outputs = [];
    const { materials: _m, locations: _l, parties: _p, ...bare } = facts;
    const doc = buildEpcisDocument(bare, { creationDate });
    expectValid(doc);
    expect(eventsOf(doc, "TransformationEvent")[1]).not.toHaveProperty("outputQuantityList");
  });

  it("refuses facts that name a lot the trace does not hold", () => {
    const facts = bakeryFacts();
    facts.lots = facts.lots.filter((lot) => lot.id !== "lot-sugar");
    expect(() => buildEpcisDocument(facts, { creationDate })).toThrow(InconsistentTraceFactsError);
  });
});
