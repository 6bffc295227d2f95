import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { FloorScreen } from "@/features/floor/floor-screen";

export const metadata: Metadata = { title: "Floor" };

export default function FloorPage() {
  return (
    <RequireAuth>
      <AppShell>
        <FloorScreen />
      </AppShell>
    </RequireAuth>
  );
}
