import type { Metadata } from "next";
import { KioskScreen } from "@/features/kiosk/kiosk-screen";

type Params = { params: Promise<{ lineCode: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Line ${decodeURIComponent((await params).lineCode)}` };
}

/** A line's display: no app shell, no navigation, no sign-in per shift (see KioskScreen). */
export default async function KioskPage({ params }: Params) {
  return <KioskScreen lineCode={decodeURIComponent((await params).lineCode)} />;
}
