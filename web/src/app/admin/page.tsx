import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { AdminScreen } from "@/features/admin/admin-screen";
import { RequireAuth } from "@/features/auth/require-auth";

export const metadata: Metadata = { title: "Administration" };

export default function AdminPage() {
  return (
    <RequireAuth>
      <AppShell>
        <AdminScreen />
      </AppShell>
    </RequireAuth>
  );
}
