/**
 * `@lotgraph/kit/quantity`: the exact quantity and the scalar's text form, for code outside a
 * server (the web app adds and compares quantities with it, decision 0016). Only plain
 * TypeScript with no imports beyond this folder belongs here: a browser bundle compiles it.
 * The domain's input rules (`quantity-input.ts`) report through zod and GraphQLError, so they
 * stay on the root export.
 */
export * from "./decimal-text.ts";
export * from "./quantity.ts";
