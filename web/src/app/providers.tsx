"use client";

import type { ReactNode } from "react";
import { Provider } from "urql";
import { GatewayUrlContext } from "@/lib/gateway-context";
import { getLotgraphClient } from "@/lib/urql";

/*
 * Plain urql Provider rather than @urql/next's SSR provider: every authenticated query needs the
 * browser-held token, so there is no server-fetched data to hand over.
 */
export function Providers({ gatewayUrl, children }: { gatewayUrl: string; children: ReactNode }) {
  return (
    <GatewayUrlContext value={gatewayUrl}>
      <Provider value={getLotgraphClient(gatewayUrl)}>{children}</Provider>
    </GatewayUrlContext>
  );
}
