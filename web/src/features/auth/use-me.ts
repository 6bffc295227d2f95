"use client";

import { useQuery } from "urql";
import { MeQuery } from "./operations";

/** The signed-in person (null once the gateway no longer accepts the token), shared through urql's cache. */
export function useMe() {
  const [{ data, fetching, error }] = useQuery({ query: MeQuery });
  return { me: data?.me ?? null, loading: fetching && !data, signedOut: data !== undefined && data.me === null, error };
}
