import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { ImportScreen } from "@/features/import/import-screen";

export const metadata: Metadata = { title: "Import" };

export default function ImportPage() {
  return (
    <RequireAuth>
      <AppShell>
        <ImportScreen />
      </AppShell>
    </RequireAuth>
  );
}
