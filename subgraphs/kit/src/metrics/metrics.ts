import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One value of a gauge computed at scrape time. */
export interface GaugeSample {
  labels: Record<string, string>;
  value: number;
}

/** Computes a gauge's samples when Prometheus scrapes; removed again by the function it returns. */
export type GaugeSource = () => Promise<GaugeSample[]> | GaugeSample[];

/**
 * How long one source may take at a scrape. A database that is away must not hang the scrape (and
 * with it the process's other figures): its gauges are left out and the failure is counted.
 */
export const SOURCE_TIMEOUT_MS = 2_000;

/** Latency buckets (seconds) shared by HTTP, operations and subgraph fetches: 2.5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What one service of a process reports into: the process's metrics, under the service's name. */
export interface ServiceMetrics {
  metrics: LotgraphMetrics;
  service: string;
}

/** A collect-time gauge: Prometheus asks, every registered source answers. */
export interface ScrapedGauge {
  /** Adds a source; returns the function that removes it (its service stopped). */
  source(source: GaugeSource): () => void;
}

/**
 * One process's metrics: a prom-client registry with Node's default process metrics, the HTTP
 * figures every server of the process reports (labelled by `service`), and gauges computed when
 * Prometheus scrapes. The all-in-one process has one for the gateway and all five subgraphs;
 * a service running alone has its own.
 */
export class LotgraphMetrics {
  readonly registry = new Registry();
  readonly #gauges = new Map<string, ScrapedGauge>();
  readonly #histograms = new Map<string, Histogram<string>>();
  readonly #httpRequests: Counter<"service" | "route" | "status">;
  readonly #httpDuration: Histogram<"service" | "route" | "status">;
  readonly #collectFailures: Counter<"gauge">;
  readonly #onCollectFailure: (gauge: string, error: unknown) => void;
  /** Scrapes so far: what {@link oncePerScrape} keys its answers by. */
  #scrapes = 0;

  constructor(options: { onCollectFailure?: (gauge: string, error: unknown) => void } = {}) {
    collectDefaultMetrics({ register: this.registry });
    this.#httpRequests = new Counter({
      name: "lotgraph_http_requests_total",
      help: "HTTP requests answered, by service, route and status class (2xx, 4xx, 5xx)",
      labelNames: ["service", "route", "status"],
      registers: [this.registry],
    });
    this.#httpDuration = new Histogram({
      name: "lotgraph_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response",
      labelNames: ["service", "route", "status"],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.#collectFailures = new Counter({
      name: "lotgraph_metrics_collect_failures_total",
      help: "Scrape-time gauges left out because their source failed or was slower than 2 s",
      labelNames: ["gauge"],
      registers: [this.registry],
    });
    this.#onCollectFailure = options.onCollectFailure ?? (() => undefined);
  }

  /**
   * Times one HTTP request under a bounded `route` label (the caller names known paths, never
   * the raw URL): counted with its status class once the response has been sent or abandoned.
   * A request for server-sent events (a subscription) is counted but not timed.
   */
  observeHttp(service: string, route: string, req: IncomingMessage, res: ServerResponse): void {
    const end = this.#httpDuration.startTimer();
    const stream = req.headers.accept?.includes("text/event-stream") ?? false;
    res.once("close", () => {
      const labels = { service, route, status: statusClass(res.statusCode) };
      // A subscription over server-sent events lasts as long as its subscriber: counted, not
      // timed, or its hours would swamp the latency of everything else on /graphql.
      if (!stream) end(labels);
      this.#httpRequests.inc(labels);
    });
  }

  /**
   * The histogram `name`, created on first use and shared by every service of the process that
   * observes it (a `service` or `subgraph` label tells them apart).
   */
  histogram<Label extends string>(
    name: string,
    help: string,
    labelNames: readonly Label[],
    buckets: readonly number[] = LATENCY_BUCKETS,
  ): Histogram<Label> {
    let histogram = this.#histograms.get(name);
    if (!histogram) {
      histogram = new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.registry] });
      this.#histograms.set(name, histogram);
    }
    return histogram as Histogram<Label>;
  }

  /** The gauge `name`, created on first use; its value is what its sources answer at each scrape. */
  gauge(name: string, help: string, labelNames: readonly string[]): ScrapedGauge {
    return this.#scraped(Gauge, name, help, labelNames);
  }

  /**
   * A counter whose sources answer running totals kept elsewhere (the live layer's events and
   * executions since start), read at each scrape: a counter to Prometheus, so `rate()` applies.
   */
  totals(name: string, help: string, labelNames: readonly string[]): ScrapedGauge {
    return this.#scraped(Counter, name, help, labelNames);
  }

  #scraped(
    kind: typeof Gauge | typeof Counter,
    name: string,
    help: string,
    labelNames: readonly string[],
  ): ScrapedGauge {
    const existing = this.#gauges.get(name);
    if (existing) return existing;
    const sources = new Set<GaugeSource>();
    const failures = this.#collectFailures;
    failures.inc({ gauge: name }, 0); // shown at 0 from the start, so an alert sees it rise
    const report = this.#onCollectFailure;
    new kind({
      name,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
      async collect(this: Gauge | Counter) {
        this.reset();
        const answers = await Promise.allSettled([...sources].map((source) => withTimeout(source())));
        for (const answer of answers) {
          if (answer.status === "rejected") {
            failures.inc({ gauge: name });
            report(name, answer.reason);
            continue;
          }
          for (const sample of answer.value)
            if (this instanceof Gauge) this.set(sample.labels, sample.value);
            else this.inc(sample.labels, sample.value);
        }
      },
    });
    const gauge: ScrapedGauge = {
      source(source) {
        sources.add(source);
        return () => sources.delete(source);
      },
    };
    this.#gauges.set(name, gauge);
    return gauge;
  }

  /** The text Prometheus reads, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    this.#scrapes++;
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Runs `load` at most once per scrape for all the gauges that read it: prom-client collects
   * every metric of a scrape at the same time, so the gauges fed by one query (outbox backlog and
   * age) share one answer instead of asking the database once each. The next scrape asks again.
   */
  oncePerScrape<T>(load: () => Promise<T>): () => Promise<T> {
    let cached: { scrape: number; value: Promise<T> } | null = null;
    return () => {
      if (cached?.scrape !== this.#scrapes) cached = { scrape: this.#scrapes, value: load() };
      return cached.value;
    };
  }
}

/** `2xx`, `4xx`, …: the label a status gets (bounded, unlike the status itself). */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "other";
}

function withTimeout<T>(value: Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve(value),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`slower than ${SOURCE_TIMEOUT_MS} ms`)), SOURCE_TIMEOUT_MS);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
