#!/usr/bin/env node
// Runs `prisma generate` for the subgraph in the current directory, offline.
// Prisma's CLI wants its schema engine binary even for `generate`, which only needs the
// WebAssembly schema parser; the binary cannot be downloaded here, so we point the variable
// at any existing file. Migrations are plain SQL applied by our own runner (subgraphs/kit).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js", { paths: [process.cwd()] });
const result = spawnSync(process.execPath, [prismaCli, "generate", "--schema", "prisma/schema.prisma"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
