import { runSubgraphProcess } from "@lotgraph/kit";
import { createTraceabilitySubgraph } from "./server.ts";

await runSubgraphProcess("traceability", createTraceabilitySubgraph);
