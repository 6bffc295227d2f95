#!/usr/bin/env node
// `npx lotgraph …` inside a Lotgraph checkout (npm links this package's bin into
// node_modules/.bin). The command is TypeScript, run through tsx as the repository's scripts are.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr });
