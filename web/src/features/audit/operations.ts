import { graphql } from "@/gql";

export const AuditTrailQuery = graphql(`
  query AuditTrail($filter: AuditTrailFilter, $first: Int, $after: String) {
    auditTrail(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          subgraph
          seq
          at
          actor {
            id
            name
          }
          action
          entityType
          entityId
          summary
          reason
          before
          after
        }
      }
    }
  }
`);

export const AuditChainStatusQuery = graphql(`
  query AuditChainStatus {
    auditChainStatus {
      subgraph
      length
      verified
      firstBrokenSeq
      checkedAt
    }
  }
`);
