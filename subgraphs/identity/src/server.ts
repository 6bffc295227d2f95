import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CredentialRegistry,
  createSubgraphYoga,
  startDataRuntime,
  type SubgraphApp,
  type SubgraphDeps,
} from "@lotgraph/kit";
import { CredentialDirectory } from "./domain/credentials.ts";
import { IdentityService } from "./domain/identity-service.ts";
import { PasswordHasher } from "./domain/passwords.ts";
import { ServiceAccountService } from "./domain/service-accounts.ts";
import { SignInService } from "./domain/sign-in.ts";
import { SignatureService } from "./domain/signatures.ts";
import { UserLifecycleService } from "./domain/user-lifecycle.ts";
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
  const credentials = new CredentialDirectory(data.db);
  const registry = checkTokensAgainst(credentials, deps);
  const identity = new IdentityService(data.db, deps.tokens, passwords, deps.logger);
  const serviceAccounts = new ServiceAccountService(data.db, deps.tokens);
  const users = new UserLifecycleService(data.db, deps.tokens, passwords);
  const signIn = new SignInService(data.db, deps.tokens, passwords);
  const signatures = new SignatureService(data.db, passwords);
  const yoga = createSubgraphYoga({
    name: "identity",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    metrics: deps.metrics,
    audit: data.db.driver,
    extendContext: (base) => ({
      ...base,
      identity,
      serviceAccounts,
      users,
      credentials,
      signIn,
      signatures,
      loaders: createLoaders(data.db.client),
    }),
  });
  return {
    name: "identity",
    handler: yoga,
    readiness: { ...data.readiness, credentials: async () => registry.loaded },
    sql: data.db.driver,
    identity,
    async close() {
      registry.stop();
      await data.close();
      await passwords.close();
    },
  };
}

/**
 * Makes this process's token checks follow identity's credential list, read straight from the
 * database (docs/decisions/0019). Every subgraph of an all-in-one shares this TokenService, so
 * they all see identity's changes as soon as identity commits them.
 */
function checkTokensAgainst(credentials: CredentialDirectory, deps: SubgraphDeps): CredentialRegistry {
  const registry = new CredentialRegistry(credentials.source, {
    refreshMs: deps.env.LOTGRAPH_CREDENTIAL_REFRESH_SECONDS * 1000,
    logger: deps.logger.child({ component: "credentials" }),
  });
  deps.tokens.useRegistry(registry);
  registry.start();
  return registry;
}
