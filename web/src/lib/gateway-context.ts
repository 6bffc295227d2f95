"use client";

import { createContext, useContext } from "react";

/** The gateway's GraphQL URL as this browser reaches it (see gateway-url.ts), for non-GraphQL calls such as exports. */
export const GatewayUrlContext = createContext<string>("http://localhost:4000/graphql");

export function useGatewayUrl(): string {
  return useContext(GatewayUrlContext);
}
