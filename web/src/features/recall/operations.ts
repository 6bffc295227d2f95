import { graphql } from "@/gql";

/** A lot's id from the code a person typed or scanned. */
export const RecallLotQuery = graphql(`
  query RecallLot($code: String!) {
    lot(code: $code) {
      id
      code
      status
      material {
        name
      }
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
          id
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

/** Recall cases and drills, newest first: one row each in the workspace. */
export const RecallCasesQuery = graphql(`
  query RecallCases($status: RecallCaseStatus, $drill: Boolean, $first: Int, $after: String) {
    recallCases(status: $status, drill: $drill, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...RecallCaseRow
        }
      }
    }
  }
`);

export const RecallCaseRowFragment = graphql(`
  fragment RecallCaseRow on RecallCase {
    id
    number
    status
    drill
    reason
    supplierLotCode
    sourceLot {
      id
      code
    }
    openedAt
    openedByName
    closedAt
    exposure {
      customers {
        customer {
          id
        }
      }
    }
    notices {
      id
      customer {
        id
      }
    }
    reconciliation {
      percentAccountedFor
      balanced
    }
  }
`);

/** A case's header, figures, customers, notices, reconciliation and what is left to do. */
export const RecallCaseQuery = graphql(`
  query RecallCase($id: ID!) {
    recallCase(id: $id) {
      ...RecallCaseDetail
    }
  }
`);

export const RecallCaseDetailFragment = graphql(`
  fragment RecallCaseDetail on RecallCase {
    id
    number
    status
    drill
    reason
    supplierLotCode
    sourceLot {
      id
      code
      material {
        name
      }
    }
    openedAt
    openedByName
    closedAt
    closedByName
    closeReason
    signature {
      signerName
      signedAt
      meaning
    }
    answeredInMs
    scope {
      frozenCount
      foundLaterCount
      finishedLots {
        id
      }
      onHand {
        id
      }
      shipments {
        id
      }
    }
    exposure {
      sourceQuantity {
        quantity
        uom
      }
      customers {
        customer {
          id
          code
          name
        }
        shipments {
          id
          reference
          shippedAt
        }
        quantityOfSource
        uom
      }
    }
    notices {
      id
      customer {
        id
        name
      }
      notifiedAt
      acknowledgedAt
      note
      recordedAt
      recordedByName
    }
    reconciliation {
      percentAccountedFor
      balanced
      lines {
        uom
        received
        consumed
        onHand
        shipped
        scrapped
        adjustments
        unaccounted
        percentAccountedFor
      }
    }
    openActions {
      kind
      description
      customer {
        id
        name
      }
      lot {
        id
        code
        quantity
        uom
        status
      }
    }
    holds {
      id
    }
    supplierHolds {
      id
    }
    reportPdfUrl
    reportCsvUrl
    evidenceUrl
  }
`);

/** The affected lots with the lots each was made from: the scope graph. */
export const RecallScopeQuery = graphql(`
  query RecallScope($id: ID!) {
    recallCase(id: $id) {
      id
      scope {
        lots {
          frozen
          createdAt
          lot {
            id
            code
            quantity
            uom
            status
            qualityStatus
            material {
              name
            }
            parents {
              id
            }
          }
        }
      }
    }
  }
`);

/** How much of the source is in each affected lot. */
export const RecallExposureLotsQuery = graphql(`
  query RecallExposureLots($id: ID!) {
    recallCase(id: $id) {
      id
      exposure {
        lots {
          lot {
            id
            code
            status
            material {
              name
            }
          }
          quantityOfSource
          fraction
          quantity
          uom
          depth
        }
      }
    }
  }
`);

/** The holds a real recall placed, as quality keeps them now. */
export const RecallHoldsQuery = graphql(`
  query RecallHolds($id: ID!) {
    recallCase(id: $id) {
      id
      holds {
        id
        active
        reason
        placedAt
        placedByName
        releasedAt
        releasedByName
        lot {
          id
          code
          material {
            name
          }
        }
        propagated {
          id
          active
        }
      }
      supplierHolds {
        id
        active
        supplierLotCode
        reason
        placedAt
        placedByName
        releasedAt
        supplier {
          name
        }
        holds {
          id
        }
      }
    }
  }
`);

export const OpenRecallMutation = graphql(`
  mutation OpenRecall($input: OpenRecallInput!) {
    openRecall(input: $input) {
      recallCase {
        id
        number
        drill
      }
    }
  }
`);

export const RecordRecallNoticeMutation = graphql(`
  mutation RecordRecallNotice($input: RecordRecallNoticeInput!) {
    recordRecallNotice(input: $input) {
      recallCase {
        ...RecallCaseDetail
      }
    }
  }
`);

export const CloseRecallMutation = graphql(`
  mutation CloseRecall($input: CloseRecallInput!) {
    closeRecall(input: $input) {
      recallCase {
        ...RecallCaseDetail
      }
    }
  }
`);
