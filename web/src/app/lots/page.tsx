import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { LotsScreen } from "@/features/lots/lots-screen";

export const metadata: Metadata = { title: "Lots" };

export default function LotsPage() {
  return (
    <RequireAuth>
      <AppShell>
        <LotsScreen />
      </AppShell>
    </RequireAuth>
  );
}
