import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

/**
 * One graphql instance for every importer. @apollo/gateway and @apollo/federation-internals are
 * CommonJS and load graphql's CommonJS build; without this alias Vite would hand our ESM code the
 * `.mjs` build, and schemas crossing the two would fail graphql's realm check.
 */
const sharedResolve = { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] };

/** Projects: unit tests beside the code, integration per subgraph and port, cross-service suites. */
export default defineConfig({
  resolve: sharedResolve,
  test: {
    // Vitest's default is one worker per core but one, which is a single worker on a 2-core
    // machine; the suites mostly wait on I/O (a stack starting, a bus, a browser), so two overlap.
    maxWorkers: 2,
    projects: [
      {
        resolve: sharedResolve,
        test: {
          name: "unit",
          include: [
            "subgraphs/*/src/**/*.test.ts",
            "gateway/src/**/*.test.ts",
            "apps/*/src/**/*.test.ts",
            "schema/test/**/*.test.ts",
            "tests/infra/**/*.test.ts",
            "web/src/**/*.test.ts",
          ],
          testTimeout: 30_000,
          // A PGlite instance starting beside another worker's can take longer than the 10 s default.
          hookTimeout: 60_000,
        },
      },
      {
        resolve: sharedResolve,
        test: {
          name: "integration",
          include: ["subgraphs/*/test/**/*.test.ts", "tests/conformance/**/*.test.ts", "gateway/test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: sharedResolve,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: sharedResolve,
        test: {
          name: "browser",
          include: ["tests/browser/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
