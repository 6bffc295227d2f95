import type { DataRuntime, SubgraphDeps } from "@lotgraph/kit";
import type { TraceabilityClient, TraceabilityTx } from "./database.ts";
import { EvidenceBundles } from "./domain/evidence/evidence-service.ts";
import { SqlEvidenceCases } from "./evidence-case-store.ts";
import { InstallSigningKeys } from "./evidence-signing-key.ts";
import { auditEvidenceSources, qualityEvidenceSource } from "./evidence-sources.ts";
import { SqlExportFacts } from "./facts/sql-export-facts.ts";
import type { GenealogyStore } from "./genealogy/port/genealogy-store.ts";

/** Evidence bundles over this subgraph's database and genealogy, and its peers' logs and quality's records. */
export function createEvidenceBundles(
  deps: SubgraphDeps,
  data: DataRuntime<TraceabilityClient, TraceabilityTx>,
  genealogy: GenealogyStore,
): EvidenceBundles {
  return new EvidenceBundles({
    cases: new SqlEvidenceCases(data.db.client),
    genealogy,
    facts: new SqlExportFacts(data.db.client),
    quality: qualityEvidenceSource(deps),
    audit: auditEvidenceSources(deps, data.db.driver),
    keys: new InstallSigningKeys(data.db.client, deps.env.LOTGRAPH_SIGNING_KEY),
  });
}
