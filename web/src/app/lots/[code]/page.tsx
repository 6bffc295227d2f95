import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { RequireAuth } from "@/features/auth/require-auth";
import { LotDetailScreen } from "@/features/lot-detail/lot-detail-screen";

type Params = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Lot ${decodeURIComponent((await params).code)}` };
}

export default async function LotPage({ params }: Params) {
  const code = decodeURIComponent((await params).code);
  return (
    <RequireAuth>
      <AppShell>
        <LotDetailScreen code={code} />
      </AppShell>
    </RequireAuth>
  );
}
