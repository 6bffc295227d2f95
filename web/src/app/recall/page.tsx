import type { Metadata } from "next";
import { Suspense } from "react";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { RecallScreen } from "@/features/recall/recall-screen";

export const metadata: Metadata = { title: "Recall" };

export default function RecallPage() {
  return (
    <RequireAuth>
      <AppShell>
        {/* What to recall is in the address (?lot= or ?supplierLotCode=), which only the browser reads. */}
        <Suspense>
          <RecallScreen />
        </Suspense>
      </AppShell>
    </RequireAuth>
  );
}
