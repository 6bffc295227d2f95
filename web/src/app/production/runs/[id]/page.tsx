import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { RunConsoleScreen } from "@/features/production/run-console";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: Params) {
  const id = decodeURIComponent((await params).id);
  return (
    <RequireAuth>
      <AppShell>
        <RunConsoleScreen id={id} />
      </AppShell>
    </RequireAuth>
  );
}
