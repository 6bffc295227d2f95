import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { QualityScreen } from "@/features/quality/quality-screen";

export const metadata: Metadata = { title: "Quality" };

export default function QualityPage() {
  return (
    <RequireAuth>
      <AppShell>
        <QualityScreen />
      </AppShell>
    </RequireAuth>
  );
}
