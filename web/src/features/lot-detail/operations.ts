import { graphql } from "@/gql";

/** Everything a quality manager asks of one lot, in one round trip through the gateway. */
export const LotDetailQuery = graphql(`
  query LotDetail($code: String!, $movementsAfter: String) {
    lot(code: $code) {
      id
      code
      quantity
      uom
      status
      qualityStatus
      createdAt
      expiresAt
      supplierLotCode
      material {
        sku
        name
        tracking
      }
      location {
        code
        name
      }
      supplier {
        name
      }
      awaitingRelease {
        kind
        gate {
          name
        }
      }
      producedBy {
        id
        operatorName
        startedAt
        workOrder {
          number
        }
      }
      parents {
        ...GenealogyLot
      }
      children {
        ...GenealogyLot
      }
      serials {
        id
        serialNumber
        status
      }
      decisions {
        id
        result
        decidedAt
        decidedByName
        notes
        gate {
          name
        }
        measurements {
          characteristic
          value
          lower
          upper
          withinLimits
        }
      }
      holds {
        id
        active
        reason
        placedAt
        placedByName
        cause {
          id
          reason
          lot {
            code
          }
        }
        supplierHold {
          supplierLotCode
        }
        decision {
          result
          gate {
            name
          }
        }
        releasedAt
        releasedByName
        releaseReason
        signature {
          signerName
          signedAt
          meaning
        }
      }
      movements(first: 50, after: $movementsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...LedgerMovement
          }
        }
      }
    }
  }
`);

export const GenealogyLotFragment = graphql(`
  fragment GenealogyLot on Lot {
    id
    code
    quantity
    uom
    status
    material {
      name
    }
  }
`);

/** The next page of a lot's ledger. */
export const LotMovementsQuery = graphql(`
  query LotMovements($code: String!, $after: String) {
    lot(code: $code) {
      id
      movements(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...LedgerMovement
          }
        }
      }
    }
  }
`);

/** A row of the lot's ledger, in the first page and in every later one. */
export const LedgerMovementFragment = graphql(`
  fragment LedgerMovement on StockMovement {
    id
    kind
    quantity
    balance
    createdAt
    actorName
    reason
  }
`);
