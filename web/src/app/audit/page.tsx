import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { AuditScreen } from "@/features/audit/audit-screen";
import { RequireAuth } from "@/features/auth/require-auth";

export const metadata: Metadata = { title: "Audit trail" };

export default function AuditPage() {
  return (
    <RequireAuth>
      <AppShell>
        <AuditScreen />
      </AppShell>
    </RequireAuth>
  );
}
