import type { BaseContext } from "@lotgraph/kit";
import type { IdentityService } from "./domain/identity-service.ts";
import type { SignInService } from "./domain/sign-in.ts";
import type { SignatureService } from "./domain/signatures.ts";
import type { IdentityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  identity: IdentityService;
  signIn: SignInService;
  signatures: SignatureService;
  loaders: IdentityLoaders;
}
