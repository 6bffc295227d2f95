import type { Metadata } from "next";
import { Suspense } from "react";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { RecallScreen } from "@/features/recall/recall-screen";

export const metadata: Metadata = { title: "Recalls" };

export default function RecallPage() {
  return (
    <RequireAuth>
      <AppShell>
        {/* The filters, or a look-up (?lot= or ?supplierLotCode=), are in the address, which only the browser reads. */}
        <Suspense>
          <RecallScreen />
        </Suspense>
      </AppShell>
    </RequireAuth>
  );
}
