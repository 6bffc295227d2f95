import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { AccountScreen } from "@/features/account/account-screen";
import { RequireAuth } from "@/features/auth/require-auth";

export const metadata: Metadata = { title: "Your account" };

export default function AccountPage() {
  return (
    <RequireAuth>
      <AppShell>
        <AccountScreen />
      </AppShell>
    </RequireAuth>
  );
}
