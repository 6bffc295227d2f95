import { runSubgraphProcess } from "@lotgraph/kit";
import { createInventorySubgraph } from "./server.ts";

await runSubgraphProcess("inventory", createInventorySubgraph);
