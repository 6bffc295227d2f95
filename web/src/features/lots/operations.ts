import { graphql } from "@/gql";

export const LotListQuery = graphql(`
  query LotList($filter: LotFilter, $first: Int, $after: String) {
    lots(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          code
          quantity
          uom
          status
          qualityStatus
          createdAt
          material {
            id
            sku
            name
          }
          parents {
            id
            code
          }
          producedBy {
            id
          }
        }
      }
    }
  }
`);
