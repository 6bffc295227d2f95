export { startLotgraph } from "./start-lotgraph.ts";
export type { RunningLotgraph, StartOptions } from "./options.ts";
