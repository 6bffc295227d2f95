#!/usr/bin/env node
// `npm run start:services` runs against PostgreSQL and NATS: say clearly what is missing.
const missing = ["DATABASE_URL", "NATS_URL", "LOTGRAPH_JWT_SECRET"].filter((name) => !process.env[name]);
if (missing.length) {
  console.error(`start:services needs ${missing.join(", ")}. For example:
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
  export NATS_URL=nats://127.0.0.1:4222
  export LOTGRAPH_JWT_SECRET=$(openssl rand -hex 32)`);
  process.exit(2);
}
