import { InconsistentTraceFactsError, type LotFact, type NamedFact, type TraceLotFacts } from "./facts.ts";

/** Lookups over one set of facts, shared by the EPCIS and FSMA builders. */
export class FactsIndex {
  readonly #lots: Map<string, LotFact>;
  readonly #materials: Map<string, { sku: string; name: string }>;
  readonly #locations: Map<string, NamedFact>;
  readonly #parties: Map<string, NamedFact>;

  constructor(readonly facts: TraceLotFacts) {
    this.#lots = new Map(facts.lots.map((lot) => [lot.id, lot]));
    this.#materials = new Map((facts.materials ?? []).map((m) => [m.id, m]));
    this.#locations = new Map((facts.locations ?? []).map((l) => [l.id, l]));
    this.#parties = new Map((facts.parties ?? []).map((p) => [p.id, p]));
  }

  /** The lot an event names; a missing one means the projection handed us a partial trace. */
  lot(lotId: string): LotFact {
    const lot = this.#lots.get(lotId);
    if (lot === undefined) {
      throw new InconsistentTraceFactsError(`trace facts name lot ${lotId}, which is not in facts.lots`);
    }
    return lot;
  }

  materialName(materialId: string): string | undefined {
    return this.#materials.get(materialId)?.name;
  }

  /** "Name (SKU)" when master data came with the facts, else the material id. */
  productDescription(materialId: string): string {
    const material = this.#materials.get(materialId);
    return material === undefined ? materialId : `${material.name} (${material.sku})`;
  }

  location(locationId: string): NamedFact | undefined {
    return this.#locations.get(locationId);
  }

  locationDescription(locationId: string | null | undefined): string {
    return describe(locationId, this.#locations);
  }

  partyDescription(partyId: string | null | undefined): string {
    return describe(partyId, this.#parties);
  }
}

function describe(id: string | null | undefined, named: Map<string, NamedFact>): string {
  if (id === null || id === undefined) return "";
  const entry = named.get(id);
  return entry === undefined ? id : `${entry.name} (${entry.code})`;
}

/** An ISO time as a UTC instant; a malformed one is a projection bug, not something to export. */
export function utcInstant(at: string): Date {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) {
    throw new InconsistentTraceFactsError(`trace facts hold an invalid time: ${JSON.stringify(at)}`);
  }
  return date;
}
