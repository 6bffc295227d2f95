import { gatewayUrl } from "@/lib/gateway-url";

/**
 * Readiness: the app is only useful when the gateway it calls is ready, so this asks the
 * gateway's /readyz and says which check failed (503) or that all is well (200).
 */
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const target = new URL("/readyz", gatewayUrl());
  const gateway = await fetch(target, { signal: AbortSignal.timeout(3_000), cache: "no-store" }).then(
    async (response) => ({ ok: response.ok, status: response.status }),
    (error: unknown) => ({ ok: false, status: 0, error: error instanceof Error ? error.message : String(error) }),
  );
  return Response.json(
    { status: gateway.ok ? "ready" : "unready", checks: { gateway: { url: target.origin, ...gateway } } },
    { status: gateway.ok ? 200 : 503 },
  );
}
