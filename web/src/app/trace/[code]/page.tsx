import type { Metadata } from "next";
import { Suspense } from "react";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { TraceScreen } from "@/features/trace/trace-screen";

type Params = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Trace ${decodeURIComponent((await params).code)}` };
}

export default async function TracePage({ params }: Params) {
  const code = decodeURIComponent((await params).code);
  return (
    <RequireAuth>
      <AppShell>
        {/* Direction and depth live in the address, which only the browser reads. */}
        <Suspense>
          <TraceScreen code={code} />
        </Suspense>
      </AppShell>
    </RequireAuth>
  );
}
