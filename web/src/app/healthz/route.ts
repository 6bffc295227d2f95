/** Liveness: the web process answers (compose and Kubernetes probe it). */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" });
}
