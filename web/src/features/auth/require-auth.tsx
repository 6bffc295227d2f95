"use client";

import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useAuthToken } from "@/lib/auth-token";

/**
 * Renders its children only with a token. Without one (never signed in, signed out, or cleared by
 * an UNAUTHENTICATED answer) it sends the user to /login.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const router = useRouter();
  const token = useAuthToken();

  useEffect(() => {
    if (token === null) router.replace("/login");
  }, [token, router]);

  if (!token) {
    return (
      <div className="page-status" role="status" aria-live="polite">
        {token === null ? "Redirecting to sign in…" : "Loading…"}
      </div>
    );
  }
  return children;
}
