import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { ProductionScreen } from "@/features/production/production-screen";

export const metadata: Metadata = { title: "Production" };

export default function ProductionPage() {
  return (
    <RequireAuth>
      <AppShell>
        <ProductionScreen />
      </AppShell>
    </RequireAuth>
  );
}
