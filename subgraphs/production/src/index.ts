import { runSubgraphProcess } from "@lotgraph/kit";
import { createProductionSubgraph } from "./server.ts";

await runSubgraphProcess("production", createProductionSubgraph);
