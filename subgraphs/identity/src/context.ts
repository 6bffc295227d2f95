import type { BaseContext } from "@lotgraph/kit";
import type { CredentialDirectory } from "./domain/credentials.ts";
import type { IdentityService } from "./domain/identity-service.ts";
import type { ServiceAccountService } from "./domain/service-accounts.ts";
import type { SignInService } from "./domain/sign-in.ts";
import type { SignatureService } from "./domain/signatures.ts";
import type { UserLifecycleService } from "./domain/user-lifecycle.ts";
import type { IdentityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  identity: IdentityService;
  serviceAccounts: ServiceAccountService;
  users: UserLifecycleService;
  credentials: CredentialDirectory;
  signIn: SignInService;
  signatures: SignatureService;
  loaders: IdentityLoaders;
}
