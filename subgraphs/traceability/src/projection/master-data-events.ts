import { SUBJECTS, payloadOf } from "@lotgraph/kit";
import { NOTHING_LINKED, type EventHandler } from "./event-handler.ts";

const materialCreated: EventHandler = async (message, { facts }) => {
  const p = payloadOf(SUBJECTS.inventory.materialCreated, message);
  await facts.upsertMaterial({ materialId: message.entityId, ...p });
  return NOTHING_LINKED;
};

const locationCreated: EventHandler = async (message, { facts }) => {
  const p = payloadOf(SUBJECTS.inventory.locationCreated, message);
  await facts.upsertLocation({ locationId: message.entityId, ...p });
  return NOTHING_LINKED;
};

const partyCreated: EventHandler = async (message, { facts }) => {
  const p = payloadOf(SUBJECTS.inventory.partyCreated, message);
  await facts.upsertParty({ partyId: message.entityId, ...p });
  return NOTHING_LINKED;
};

// Updates carry the current facts: the projection takes the names exports print from them, as
// from a creation (the other fields of the payload are none of its business).
const materialUpdated: EventHandler = async (message, { facts }) => {
  const { sku, name, uom, kind } = payloadOf(SUBJECTS.inventory.materialUpdated, message);
  await facts.upsertMaterial({ materialId: message.entityId, sku, name, uom, kind });
  return NOTHING_LINKED;
};

const locationUpdated: EventHandler = async (message, { facts }) => {
  const { code, name, kind, parentId } = payloadOf(SUBJECTS.inventory.locationUpdated, message);
  await facts.upsertLocation({ locationId: message.entityId, code, name, kind, parentId });
  return NOTHING_LINKED;
};

const partyUpdated: EventHandler = async (message, { facts }) => {
  const { code, name, kind } = payloadOf(SUBJECTS.inventory.partyUpdated, message);
  await facts.upsertParty({ partyId: message.entityId, code, name, kind });
  return NOTHING_LINKED;
};

const lineCreated: EventHandler = async (message, { facts }) => {
  const p = payloadOf(SUBJECTS.production.lineCreated, message);
  await facts.upsertLine({ lineId: p.lineId, code: p.code, name: p.name });
  return NOTHING_LINKED;
};

/** A renamed or recoded line: the exports name it as it is now (deactivation keeps it as it was). */
const lineUpdated: EventHandler = async (message, { facts }) => {
  const p = payloadOf(SUBJECTS.production.lineUpdated, message);
  await facts.upsertLine({ lineId: p.lineId, code: p.code, name: p.name });
  return NOTHING_LINKED;
};

/** Master data, so the exports can name products, places and trading partners. */
export const MASTER_DATA_EVENT_HANDLERS: ReadonlyArray<readonly [string, EventHandler]> = [
  [SUBJECTS.inventory.materialCreated, materialCreated],
  [SUBJECTS.inventory.locationCreated, locationCreated],
  [SUBJECTS.inventory.partyCreated, partyCreated],
  [SUBJECTS.inventory.materialUpdated, materialUpdated],
  [SUBJECTS.inventory.locationUpdated, locationUpdated],
  [SUBJECTS.inventory.partyUpdated, partyUpdated],
  [SUBJECTS.production.lineCreated, lineCreated],
  [SUBJECTS.production.lineUpdated, lineUpdated],
];
