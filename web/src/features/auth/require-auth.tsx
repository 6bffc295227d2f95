"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useAuthToken } from "@/lib/auth-token";

/**
 * Renders its children only with a token. Without one (never signed in, signed out, or cleared by
 * an UNAUTHENTICATED answer) it sends the user to /login, which brings them back here afterwards.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const token = useAuthToken();

  useEffect(() => {
    if (token !== null) return;
    const back = pathname && pathname !== "/" ? `?next=${encodeURIComponent(pathname)}` : "";
    router.replace(`/login${back}`);
  }, [token, router, pathname]);

  if (!token) {
    return (
      <div className="page-status" role="status" aria-live="polite">
        {token === null ? "Redirecting to sign in…" : "Loading…"}
      </div>
    );
  }
  return children;
}
