import { keepFirstAdminPassword, loadEnv, runSubgraphProcess } from "@lotgraph/kit";
import { createIdentitySubgraph } from "./server.ts";

await runSubgraphProcess("identity", async (deps) => {
  const app = await createIdentitySubgraph(deps);
  const env = loadEnv();
  const admin = await app.identity.ensureFirstAdmin(env.LOTGRAPH_ADMIN_PASSWORD);
  if (admin?.generatedPassword) {
    // Said once, where only this account can read it: the operator needs it to sign in the first time.
    const file = await keepFirstAdminPassword(env.LOTGRAPH_DATA_DIR, admin.generatedPassword);
    deps.logger.warn({ email: admin.email, passwordFile: file }, "first admin created: the password is in the file");
  }
  return app;
});
