#!/usr/bin/env node
// Makes sure generated code exists and is current before start, seed, test and bench: the
// Prisma clients of every subgraph and the GraphQL codegen outputs (all gitignored). turbo
// caches both, so when nothing changed this takes about a second.
import { spawnSync } from "node:child_process";

const result = spawnSync(
  "npx",
  ["turbo", "run", "generate", "codegen", "--output-logs=errors-only", "--log-prefix=none"],
  {
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  },
);
process.exit(result.status ?? 1);
