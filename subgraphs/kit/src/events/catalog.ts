import { z } from "zod";

/**
 * The event catalogue: every subject a subgraph publishes and the payload consumers may rely
 * on. Consumers parse payloads with these schemas before use; events carry keys and the few
 * facts projections need, never whole entities.
 */
export const SUBJECTS = {
  identity: {
    userCreated: "lotgraph.identity.user.created",
    serviceAccountCreated: "lotgraph.identity.serviceAccount.created",
  },
  inventory: {
    materialCreated: "lotgraph.inventory.material.created",
    locationCreated: "lotgraph.inventory.location.created",
    partyCreated: "lotgraph.inventory.party.created",
    lotReceived: "lotgraph.inventory.lot.received",
  },
} as const;

export const lotReceivedPayload = z.object({
  code: z.string(),
  materialId: z.string(),
  quantity: z.string(),
  uom: z.string(),
  locationId: z.string().nullable(),
  supplierId: z.string().nullable(),
  supplierLotCode: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type LotReceivedPayload = z.infer<typeof lotReceivedPayload>;
