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
          ...LotRow
        }
      }
    }
  }
`);

/** What a row of the lot table shows; the list query and the live updates select the same. */
export const LotRowFragment = graphql(`
  fragment LotRow on Lot {
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
`);

/** Every lot change in the plant, as the row it should now show. */
export const LotChangedSubscription = graphql(`
  subscription LotChanged {
    lotChanged {
      ...LotRow
    }
  }
`);

/** The choices of the lot filters: materials and locations by name. */
export const LotFilterOptionsQuery = graphql(`
  query LotFilterOptions {
    materials(first: 100) {
      edges {
        node {
          id
          sku
          name
        }
      }
    }
    locations {
      id
      code
      name
    }
  }
`);

/** Where material can be received, and from whom. */
export const ReceiveOptionsQuery = graphql(`
  query ReceiveOptions {
    locations {
      id
      code
      name
    }
    parties(kind: SUPPLIER) {
      id
      code
      name
    }
  }
`);

export const ReceiveLotMutation = graphql(`
  mutation ReceiveLot($input: ReceiveLotInput!) {
    receiveLot(input: $input) {
      lot {
        id
        code
        quantity
        uom
        status
        location {
          name
        }
      }
    }
  }
`);
