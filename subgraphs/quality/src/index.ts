import { runSubgraphProcess } from "@lotgraph/kit";
import { createQualitySubgraph } from "./server.ts";

await runSubgraphProcess("quality", createQualitySubgraph);
