import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSubgraphYoga, startDataRuntime, type SubgraphApp, type SubgraphDeps } from "@lotgraph/kit";
import { IdentityService } from "./domain/identity-service.ts";
import { PasswordHasher } from "./domain/passwords.ts";
import { SignInService } from "./domain/sign-in.ts";
import { SignatureService } from "./domain/signatures.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import type { IdentityClient, IdentityTx } from "./store/user-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface IdentitySubgraph extends SubgraphApp {
  identity: IdentityService;
}

/** Builds the identity subgraph over its database; never listens (see index.ts). */
export async function createIdentitySubgraph(deps: SubgraphDeps): Promise<IdentitySubgraph> {
  const data = await startDataRuntime<IdentityClient, IdentityTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const passwords = new PasswordHasher();
  const identity = new IdentityService(data.db, deps.tokens, passwords, deps.logger);
  const signIn = new SignInService(data.db, deps.tokens, passwords);
  const signatures = new SignatureService(data.db, passwords);
  const yoga = createSubgraphYoga({
    name: "identity",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    audit: data.db.driver,
    extendContext: (base) => ({ ...base, identity, signIn, signatures, loaders: createLoaders(data.db.client) }),
  });
  return {
    name: "identity",
    handler: yoga,
    readiness: data.readiness,
    sql: data.db.driver,
    identity,
    async close() {
      await data.close();
      await passwords.close();
    },
  };
}
