import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { publicGatewayUrl } from "@/lib/gateway-url";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lotgraph", template: "%s · Lotgraph" },
  description: "Lot traceability for the plant floor",
};

export const viewport: Viewport = { themeColor: "#0f2742", width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render per request so the gateway URL comes from the running environment, not the build.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers gatewayUrl={publicGatewayUrl((await headers()).get("host"))}>{children}</Providers>
      </body>
    </html>
  );
}
