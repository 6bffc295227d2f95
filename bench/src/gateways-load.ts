/**
 * The load generator of `npm run bench -- gateways`, a process of its own (forked with IPC) so
 * its CPU never lands on a gateway's account. Each message is one measurement: `connections`
 * keep-alive connections, each sending its own request (its own caller's token, so no gateway
 * can answer one connection from another's in-flight request) back to back for `seconds`.
 * Latencies are kept exactly (autocannon's histogram rounds to whole milliseconds).
 */
import autocannon from "autocannon";

export interface LoadRequest {
  url: string;
  seconds: number;
  /** One per connection: its headers and body. */
  perConnection: Array<{ headers: Record<string, string>; body: string }>;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  /** Responses that were not 200, and sockets that failed or timed out. */
  failures: number;
}

function measure(request: LoadRequest): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        method: "POST",
        connections: request.perConnection.length,
        duration: request.seconds,
        setupClient(client) {
          const mine = request.perConnection[next++ % request.perConnection.length]!;
          client.setHeadersAndBody({ "content-type": "application/json", ...mine.headers }, mine.body);
        },
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
        resolve({
          rps: latencies.length / request.seconds,
          p50: at(0.5),
          p95: at(0.95),
          p99: at(0.99),
          requests: latencies.length,
          failures: result.non2xx + result.errors + result.timeouts,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latencies.push(responseTime);
    });
  });
}

process.on("message", (message: LoadRequest) => {
  measure(message).then(
    (result) => process.send?.({ type: "result", result }),
    (error: Error) => process.send?.({ type: "failed", message: error.message }),
  );
});
process.send?.({ type: "ready" });
