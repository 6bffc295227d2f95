import type { Gateway } from "@lotgraph/gateway";
import type { EventBus, LotgraphEnv, SqlDriver, SubgraphName, Tracing } from "@lotgraph/kit";

export interface StartOptions {
  /** Environment to read (defaults to process.env); `DATABASE_URL`/`NATS_URL` select services mode. */
  env?: Record<string, string | undefined>;
  /** Overrides LOTGRAPH_DATA_DIR (embedded mode). */
  dataDir?: string;
  /** 0 picks free ports (tests). Defaults: gateway PORT or 4000, web 3000, subgraphs as below. */
  gatewayPort?: number;
  webPort?: number;
  /**
   * Where the subgraphs listen (on loopback): free ports the system picks, the defaults 4001–4005,
   * or five ports from a first one. Default: LOTGRAPH_SUBGRAPH_PORTS, else 4001–4005.
   */
  subgraphPorts?: "default" | "ephemeral" | { first: number };
  /** Also serve the Next.js app. */
  web?: boolean;
  /**
   * How the gateway reaches the subgraphs: through their handlers in this process (default), or
   * over HTTP as separate processes do (tests keep that path covered).
   */
  subgraphTransport?: "in-process" | "http";
  /** Services mode only: isolates the run in schemas `<prefix>_<subgraph>` (tests). */
  schemaPrefix?: string;
  /**
   * Tests only: the bus one subgraph sees instead of the shared one (a wrapper over it), to inject
   * faults into that subgraph's consumers, e.g. pause traceability's projection.
   */
  busFor?: (subgraph: SubgraphName, bus: EventBus) => EventBus;
  quiet?: boolean;
}

export interface RunningLotgraph {
  gatewayUrl: string;
  webUrl: string | null;
  /**
   * The first admin. `password` is for the program that started Lotgraph (tests, tools), never
   * printed; a generated one is also in `passwordFile`, readable by this account only.
   */
  admin: { email: string; password: string | null; passwordFile: string | null };
  subgraphUrls: Record<SubgraphName, string>;
  /** Each subgraph's own database, for operations tools and tests. */
  databases: Record<SubgraphName, SqlDriver>;
  env: LotgraphEnv;
  /** The bus every service of this process shares (operations tools and benchmarks). */
  bus: EventBus;
  /** What the gateway's live layer is doing (subscribers, events, executions). */
  liveStats: Gateway["liveStats"];
  /** Where Prometheus scrapes this process (`…/metrics`); null unless LOTGRAPH_METRICS_PORT is set. */
  metricsUrl: string | null;
  /**
   * This process's tracing (OTEL_EXPORTER_OTLP_ENDPOINT, read from process.env like every OTEL_*
   * variable): one provider for every part, stopped by `stop()`.
   */
  tracing: Tracing;
  stop(): Promise<void>;
}
