// The genealogy as tools outside the subgraph use it (`@lotgraph/traceability/genealogy`): the
// bench, the conformance suite and `rebuild-genealogy` reach the adapters through here only.
export * from "./port/genealogy-store.ts";
export { SqlGenealogyStore } from "./sql/sql-genealogy-store.ts";
export type { TraceStrategy } from "./sql/sql-trace.ts";
export { Neo4jGenealogyStore } from "./neo4j/neo4j-genealogy-store.ts";
export { loadNeo4jConfig, type Neo4jConfig } from "./neo4j/neo4j-config.ts";
export {
  CachedGenealogyStore,
  type CachedGenealogyStoreOptions,
  type LoadProgress,
} from "./memory/cached-genealogy-store.ts";
export type { TraceabilityClient, TraceabilityTx } from "../database.ts";
