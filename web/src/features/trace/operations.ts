import { graphql } from "@/gql";

/** The lot a trace starts from, found by the code on its label. */
export const TraceRootQuery = graphql(`
  query TraceRoot($code: String!) {
    lot(code: $code) {
      id
      code
      quantity
      uom
      status
      qualityStatus
      material {
        name
        tracking
      }
      serials {
        id
        serialNumber
        status
      }
    }
  }
`);

/**
 * Both directions of a lot's genealogy in one round trip; a direction left out is skipped by the
 * gateway, not fetched and dropped.
 */
export const TraceGraphQuery = graphql(`
  query TraceGraph($lotId: ID!, $maxDepth: Int!, $upstream: Boolean!, $downstream: Boolean!) {
    upstream: trace(lotId: $lotId, direction: UPSTREAM, maxDepth: $maxDepth) @include(if: $upstream) {
      ...TraceSide
    }
    downstream: trace(lotId: $lotId, direction: DOWNSTREAM, maxDepth: $maxDepth) @include(if: $downstream) {
      ...TraceSide
    }
  }
`);

export const TraceSideFragment = graphql(`
  fragment TraceSide on Trace {
    truncated
    nodes {
      depth
      lot {
        ...TraceLot
      }
    }
    edges {
      quantity
      parent {
        id
      }
      child {
        id
      }
    }
  }
`);

export const TraceLotFragment = graphql(`
  fragment TraceLot on Lot {
    id
    code
    quantity
    uom
    status
    qualityStatus
    material {
      name
    }
  }
`);

/** The trace as a GS1 EPCIS 2.0 document (AUDITOR or MANAGER). */
export const EpcisDocumentQuery = graphql(`
  query EpcisDocument($lotId: ID!, $direction: TraceDirection!) {
    epcisDocument(lotId: $lotId, direction: $direction)
  }
`);

/**
 * A serial unit's components as built, three levels down: GraphQL has no recursion, and the API's
 * cost limit counts every level ten times the one above. A deeper assembly is traced from its own
 * lot.
 */
export const AsBuiltQuery = graphql(`
  query AsBuilt($serialId: ID!) {
    serialUnit(id: $serialId) {
      id
      serialNumber
      asBuilt {
        ...AsBuiltPart
        components {
          ...AsBuiltPart
          components {
            ...AsBuiltPart
            components {
              ...AsBuiltPart
            }
          }
        }
      }
    }
  }
`);

export const AsBuiltPartFragment = graphql(`
  fragment AsBuiltPart on AsBuiltNode {
    installationId
    quantity
    installedAt
    serial {
      id
      serialNumber
    }
    lot {
      code
      uom
      material {
        name
      }
    }
  }
`);
