/**
 * `npm run bench -- <name>`: runs one benchmark and prints its figures. Benchmarks measure; they
 * never assert (targets are read by people, in the README and the issues' closing notes).
 */
const benches: Record<string, () => Promise<void>> = {
  startup: async () => (await import("./startup.ts")).main(),
  "write-path": async () => (await import("./write-path.ts")).main(),
  genealogy: async () => (await import("./genealogy.ts")).main(),
  "live-fanout": async () => (await import("./live-fanout.ts")).main(),
  web: async () => (await import("./web-pages.ts")).main(),
  gateways: async () => (await import("./gateways.ts")).main(),
  "edge-checks": async () => (await import("./edge-checks.ts")).main(),
  "webhook-latency": async () => (await import("./webhook-latency.ts")).main(),
  import: async () => (await import("./import.ts")).main(),
  "audit-proofs": async () => (await import("./audit-proofs.ts")).main(),
  "recall-drill": async () => (await import("./recall-drill.ts")).main(),
  "observability-overhead": async () => (await import("./observability-overhead.ts")).main(),
};

const requested = process.argv[2] ?? "startup";
const bench = benches[requested];
if (!bench) {
  console.error(`unknown benchmark "${requested}"; available: ${Object.keys(benches).join(", ")}`);
  process.exit(2);
}
await bench();

export {};
