import { formatNonConformanceNumber } from "../domain/records.ts";
import type {
  HoldResolvers,
  NonConformanceResolvers,
  QcDecisionResolvers,
  QcGateResolvers,
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
  decidedBy: (decision) => user(decision.decidedById),
  hold: (decision, _args, { loaders }) => (decision.holdId ? loaders.hold.load(decision.holdId) : null),
};

export const Hold: HoldResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.hold.load(ref.id),
  lot: (hold) => ({ id: hold.lotId }),
  cause: (hold, _args, { loaders }) => (hold.causeId ? loaders.hold.load(hold.causeId) : null),
  propagated: (hold, _args, { loaders }) => (hold.causeId ? [] : loaders.propagated.load(hold.id)),
  decision: (hold, _args, { loaders }) => (hold.decisionId ? loaders.decision.load(hold.decisionId) : null),
  active: (hold) => hold.releasedAt === null,
  placedBy: (hold) => user(hold.placedById),
  releasedBy: (hold) => user(hold.releasedById),
  signature: (hold) =>
    hold.signerName && hold.signedAt && hold.signatureMeaning
      ? { signerName: hold.signerName, signedAt: hold.signedAt, meaning: hold.signatureMeaning }
      : null,
};

export const NonConformance: NonConformanceResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.nonConformance.load(ref.id),
  number: (ncr) => formatNonConformanceNumber(ncr.number),
  hold: (ncr, _args, { loaders }) => (ncr.holdId ? loaders.hold.load(ncr.holdId) : null),
  decision: (ncr, _args, { loaders }) => (ncr.decisionId ? loaders.decision.load(ncr.decisionId) : null),
  lot: (ncr) => (ncr.lotId ? { id: ncr.lotId } : null),
};
