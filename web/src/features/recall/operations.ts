import { graphql } from "@/gql";

/** A lot's id from the code a person typed or scanned. */
export const RecallLotQuery = graphql(`
  query RecallLot($code: String!) {
    lot(code: $code) {
      id
      code
    }
  }
`);

/** Everything affected by a lot or by a supplier lot code, with where it is and who received it. */
export const RecallQuery = graphql(`
  query Recall($lotId: ID, $supplierLotCode: String) {
    recall(lotId: $lotId, supplierLotCode: $supplierLotCode) {
      affectedLots {
        ...RecallLot
      }
      finishedLots {
        id
      }
      onHand {
        id
      }
      shipments {
        id
        reference
        shippedAt
        customer {
          name
        }
        lines {
          quantity
          lot {
            id
            code
            uom
          }
        }
      }
    }
  }
`);

export const RecallLotFragment = graphql(`
  fragment RecallLot on Lot {
    id
    code
    quantity
    uom
    status
    qualityStatus
    supplierLotCode
    material {
      name
      kind
    }
    location {
      code
      name
    }
  }
`);
