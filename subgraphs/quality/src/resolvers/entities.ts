import { formatNonConformanceNumber } from "../domain/records.ts";
import type {
  HoldResolvers,
  NonConformanceResolvers,
  QcDecisionResolvers,
  QcGateResolvers,
  SupplierHoldResolvers,
} from "../generated/graphql/resolvers.ts";
import type { QualityLoaders } from "../loaders.ts";

const user = (id: string | null) => (id && !id.startsWith("service:") ? { id } : null);

async function gateOf(loaders: QualityLoaders, gateId: string) {
  const gate = await loaders.gate.load(gateId);
  if (!gate) throw new Error(`record references missing gate ${gateId}`);
  return gate;
}

export const QcGate: QcGateResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.gate.load(ref.id),
};

export const QcDecision: QcDecisionResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.decision.load(ref.id),
  gate: (decision, _args, { loaders }) => gateOf(loaders, decision.gateId),
  lot: (decision) => (decision.lotId ? { id: decision.lotId } : null),
  run: (decision) => (decision.runId ? { id: decision.runId } : null),
  line: (decision) => (decision.lineId ? { id: decision.lineId } : null),
  decidedBy: (decision) => user(decision.decidedById),
  hold: (decision, _args, { loaders }) => (decision.holdId ? loaders.hold.load(decision.holdId) : null),
};

export const Hold: HoldResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.hold.load(ref.id),
  lot: (hold) => ({ id: hold.lotId }),
  cause: (hold, _args, { loaders }) => (hold.causeId ? loaders.hold.load(hold.causeId) : null),
  supplierHold: (hold, _args, { loaders }) =>
    hold.supplierHoldId ? loaders.supplierHold.load(hold.supplierHoldId) : null,
  propagated: (hold, _args, { loaders }) => (hold.causeId ? [] : loaders.propagated.load(hold.id)),
  decision: (hold, _args, { loaders }) => (hold.decisionId ? loaders.decision.load(hold.decisionId) : null),
  active: (hold) => hold.releasedAt === null,
  placedBy: (hold) => user(hold.placedById),
  releasedBy: (hold) => user(hold.releasedById),
  signature: (hold) => signature(hold.signerName, hold.signedAt, hold.signatureMeaning),
};

export const SupplierHold: SupplierHoldResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.supplierHold.load(ref.id),
  supplier: (hold) => ({ id: hold.supplierId }),
  active: (hold) => hold.releasedAt === null,
  placedBy: (hold) => user(hold.placedById),
  releasedBy: (hold) => user(hold.releasedById),
  signature: (hold) => signature(hold.signerName, hold.signedAt, hold.signatureMeaning),
  holds: (hold, _args, { loaders }) => loaders.holdsOfPlacement.load(hold.id),
};

export const NonConformance: NonConformanceResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.nonConformance.load(ref.id),
  number: (ncr) => formatNonConformanceNumber(ncr.number),
  hold: (ncr, _args, { loaders }) => (ncr.holdId ? loaders.hold.load(ncr.holdId) : null),
  decision: (ncr, _args, { loaders }) => (ncr.decisionId ? loaders.decision.load(ncr.decisionId) : null),
  lot: (ncr) => (ncr.lotId ? { id: ncr.lotId } : null),
  dispositionSignature: (ncr) => signature(ncr.dispositionSignerName, ncr.dispositionSignedAt, ncr.dispositionMeaning),
  closeSignature: (ncr) => signature(ncr.closeSignerName, ncr.closeSignedAt, ncr.closeMeaning),
};

/** A recorded electronic signature, or null when something was not signed. */
function signature(signerName: string | null, signedAt: Date | null, meaning: string | null) {
  return signerName && signedAt && meaning ? { signerName, signedAt, meaning } : null;
}
