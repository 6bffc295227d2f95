import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { TraceSearch } from "@/features/trace/trace-search";

export const metadata: Metadata = { title: "Trace and recall" };

export default function TraceSearchPage() {
  return (
    <RequireAuth>
      <AppShell>
        <TraceSearch />
      </AppShell>
    </RequireAuth>
  );
}
