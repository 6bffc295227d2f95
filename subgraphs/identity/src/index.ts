import { loadEnv, runSubgraphProcess } from "@lotgraph/kit";
import { createIdentitySubgraph } from "./server.ts";

await runSubgraphProcess("identity", async (deps) => {
  const app = await createIdentitySubgraph(deps);
  const admin = await app.identity.ensureFirstAdmin(loadEnv().LOTGRAPH_ADMIN_PASSWORD);
  if (admin?.generatedPassword) {
    // Printed once, on purpose: the operator needs it to sign in the first time.
    console.log(`\nFirst admin: ${admin.email}  password: ${admin.generatedPassword}\n`);
  }
  return app;
});
