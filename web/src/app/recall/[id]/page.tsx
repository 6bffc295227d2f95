import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { RecallCaseScreen } from "@/features/recall/recall-case-screen";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Recall case" };

export default async function RecallCasePage({ params }: Params) {
  const id = decodeURIComponent((await params).id);
  return (
    <RequireAuth>
      <AppShell>
        <RecallCaseScreen id={id} />
      </AppShell>
    </RequireAuth>
  );
}
