import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  lines: (_parent, { active, updatedSince }, { production, principal }) =>
    production.lines.lines(principal, { active, updatedSince }),
  line: (_parent, args, { production, principal }) => production.lines.line(principal, args),
  workOrder: (_parent, args, { production, principal }) => production.workOrders.workOrder(principal, args),
  workOrders: (_parent, { filter, first, after }, { production, principal }) =>
    production.workOrders.workOrders(principal, filter ?? {}, { first, after }),
  run: (_parent, { id }, { production, principal }) => production.runs.run(principal, id),
  runs: (_parent, { filter, first, after }, { production, principal }) =>
    production.runs.runs(principal, filter ?? {}, { first, after }),
  gateRunsInProgress: (_parent, { gateId }, { production, principal }) =>
    production.qualityFacts.gateRunsInProgress(principal, gateId),
  runGateContext: (_parent, { runId }, { production, principal }) =>
    production.qualityFacts.runGateContext(principal, runId),
  lotOutputContext: (_parent, { lotId }, { production, principal }) =>
    production.qualityFacts.lotOutputContext(principal, lotId),
  lineOutputLots: (_parent, { lineId, since }, { production, principal }) =>
    production.qualityFacts.lineOutputLots(principal, lineId, since ?? null),
  installations: (_parent, { parentSerialId, current }, { production, principal }) =>
    production.assembly.installations(principal, parentSerialId, current ?? false),
};
