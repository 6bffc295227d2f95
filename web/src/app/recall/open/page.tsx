import type { Metadata } from "next";
import { Suspense } from "react";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { OpenRecallScreen } from "@/features/recall/open-recall-screen";

export const metadata: Metadata = { title: "Open a recall" };

export default function OpenRecallPage() {
  return (
    <RequireAuth>
      <AppShell>
        {/* A look-up's code and the kind (?lot=, ?supplierLotCode=, ?drill=1) are in the address. */}
        <Suspense>
          <OpenRecallScreen />
        </Suspense>
      </AppShell>
    </RequireAuth>
  );
}
