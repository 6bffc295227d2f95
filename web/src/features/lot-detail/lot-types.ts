import type { LotDetailQuery } from "@/gql/graphql";

/** The lot the lot page shows, as the API returns it. */
export type Lot = NonNullable<LotDetailQuery["lot"]>;
export type Hold = Lot["holds"][number];

export const lotHref = (code: string) => `/lots/${encodeURIComponent(code)}`;
