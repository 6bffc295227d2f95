import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * One codegen for the repo (run as the turbo task `//#codegen`): typed resolvers for every
 * subgraph (federation-aware, with mappers to domain types) and typed documents for the web app
 * from the composed API schema. Outputs are gitignored.
 */
const subgraphs = ["identity", "inventory", "production", "quality", "traceability"] as const;

const resolverPlugins = ["typescript", "typescript-resolvers"];

/** GraphQL types a subgraph maps to its own domain records (`src/domain/records.ts`). */
const mappers: Record<(typeof subgraphs)[number], Record<string, string>> = {
  identity: { User: "UserRecord", ServiceAccount: "ServiceAccountRecord" },
  inventory: {
    Material: "MaterialRecord",
    Location: "LocationRecord",
    Party: "PartyRecord",
    Lot: "LotRecord",
    SerialUnit: "SerialUnitRecord",
    StockMovement: "StockMovementRecord",
    Shipment: "ShipmentRecord",
    ShipmentLine: "ShipmentLineRecord",
    ImportJob: "ImportJobRecord",
    ImportRowError: "ImportRowErrorRecord",
  },
  production: {
    Line: "LineRecord",
    WorkOrder: "WorkOrderRecord",
    ProductionRun: "RunRecord",
    Consumption: "ConsumptionRecord",
    Output: "OutputRecord",
    Installation: "InstallationRecord",
    Lot: "LotRef",
  },
  quality: {
    QcGate: "GateRecord",
    QcDecision: "DecisionRecord",
    Hold: "HoldRecord",
    SupplierHold: "SupplierHoldRecord",
    NonConformance: "NonConformanceRecord",
    CharacteristicStatistics: "StatisticsView",
    RunGateStatus: "RunGateView",
    Lot: "LotRef",
    ProductionRun: "RunRef",
  },
  traceability: {
    Lot: "LotRef",
    SerialUnit: "SerialRef",
    Shipment: "ShipmentRef",
    ProductionRun: "RunRef",
    Trace: "TraceView",
    Recall: "RecallView",
    AsBuiltNode: "AsBuiltView",
    MassBalance: "MassBalanceView",
    AuditEntry: "AuditEntryView",
    AuditChainStatus: "AuditChainStatusView",
    ChangeConnection: "ChangeConnectionView",
    Webhook: "WebhookView",
    WebhookDelivery: "WebhookDeliveryView",
    Exposure: "ExposureView",
    RecallCase: "RecallCaseRecord",
    RecallNotice: "RecallNoticeRecord",
    RecallScope: "RecallScopeView",
    RecallReconciliation: "ReconciliationView",
    RecallAction: "RecallActionView",
  },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...Object.fromEntries(
      subgraphs.map((name) => [
        `subgraphs/${name}/src/generated/graphql/resolvers.ts`,
        {
          schema: `subgraphs/${name}/schema.graphql`,
          plugins: resolverPlugins,
          config: {
            federation: true,
            useIndexSignature: false,
            useTypeImports: true,
            enumsAsTypes: true,
            contextType: "../../context.ts#Context",
            mapperTypeSuffix: "",
            mappers: Object.fromEntries(
              Object.entries(mappers[name]).map(([type, record]) => [type, `../../domain/records.ts#${record}`]),
            ),
            scalars: {
              DateTime: { input: "Date", output: "Date | string" },
              Decimal: { input: "string", output: "string" },
            },
            resolverTypeWrapperSignature: "T | Promise<T>",
          },
        },
      ]),
    ),
    "web/src/gql/": {
      schema: "schema/api.graphql",
      documents: ["web/src/**/*.tsx", "web/src/**/*.ts", "!web/src/gql/**"],
      preset: "client",
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: "string", Decimal: "string" },
      },
      // persisted-documents.json: the web app's operations, registered as trusted documents
      // (schema/trusted-documents.json, decision 0021).
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: "sha256" } },
    },
  },
};

export default config;
