import { SubgraphClient, type SubgraphDeps } from "@lotgraph/kit";
import type { ContainmentPort, SignaturePort } from "../domain/recall/recall-records.ts";

const PLACE_CONTAINMENT = `mutation TraceabilityPlaceRecallContainment($input: PlaceRecallContainmentInput!) {
  placeRecallContainment(input: $input) { holdIds supplierHoldIds }
}`;
const VERIFY_SIGNATURE = `mutation TraceabilityVerifySignature($input: VerifySignatureInput!) {
  verifySignature(input: $input) { valid lockedUntil user { id name } }
}`;

const client = (deps: Pick<SubgraphDeps, "tokens" | "peerUrl">, peer: "quality" | "identity", timeoutMs?: number) =>
  new SubgraphClient({ caller: "traceability", url: () => deps.peerUrl(peer), tokens: deps.tokens, timeoutMs });

/**
 * Quality's internal placeRecallContainment, with a service token. Holding a large recall walks
 * inventory's ledger for every descendant, so it gets longer than the usual 10 s.
 */
export function qualityContainment(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">): ContainmentPort {
  const quality = client(deps, "quality", 60_000);
  return {
    async placeRecallContainment(request, requestId) {
      const data = await quality.request<{
        placeRecallContainment: { holdIds: string[]; supplierHoldIds: string[] };
      }>(PLACE_CONTAINMENT, { input: request }, requestId);
      return data.placeRecallContainment;
    },
  };
}

/** Identity's internal verifySignature: the signer's password, checked and counted there. */
export function identitySignatures(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">): SignaturePort {
  const identity = client(deps, "identity");
  return {
    async verifySignature(userId, password, requestId) {
      const data = await identity.request<{
        verifySignature: { valid: boolean; lockedUntil: string | null; user: { id: string; name: string } | null };
      }>(VERIFY_SIGNATURE, { input: { userId, password } }, requestId);
      const { valid, lockedUntil, user } = data.verifySignature;
      return { signer: valid ? user : null, lockedUntil: lockedUntil ? new Date(lockedUntil) : null };
    },
  };
}
