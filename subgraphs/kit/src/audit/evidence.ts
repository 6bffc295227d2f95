/**
 * The evidence bundle's verification core (`@lotgraph/kit/evidence`): entry hashing, the Merkle
 * tree, Ed25519 signing, the bundle format and its verifier. Nothing here touches a database or
 * the network, so the offline verifier (`npx lotgraph verify`) imports this and nothing else.
 */
export * from "./entry-hash.ts";
export * from "./merkle.ts";
export * from "./evidence-signing.ts";
export * from "./evidence-format.ts";
export * from "./evidence-verify.ts";
export * from "./evidence-seal.ts";
