import { graphql } from "@/gql";

/** Every gate with its checklist: the decision form, the gate cards and the charts all start here. */
export const QualityGatesQuery = graphql(`
  query QualityGates {
    qcGates {
      id
      name
      blocking
      criticalControlPoint
      segregationOfDuties
      characteristics {
        name
        lower
        upper
        unit
      }
    }
  }
`);

export const QualityDecisionFragment = graphql(`
  fragment QualityDecision on QcDecision {
    id
    result
    decidedAt
    decidedByName
    notes
    gate {
      id
      name
    }
    lot {
      id
      code
    }
    run {
      id
      workOrder {
        number
      }
    }
    line {
      code
    }
    measurements {
      characteristic
      value
      lower
      upper
      withinLimits
    }
  }
`);

/** One gate's decisions, newest first: its latest checks, and the points of its control charts. */
export const GateDecisionsQuery = graphql(`
  query GateDecisions($gateId: ID!, $first: Int, $after: String) {
    qcDecisions(gateId: $gateId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...QualityDecision
        }
      }
    }
  }
`);

/** A scanned or typed lot code, resolved to the lot a decision or a hold is about. */
export const LotByCodeQuery = graphql(`
  query LotByCode($code: String!) {
    lot(code: $code) {
      id
      code
      status
      qualityStatus
      material {
        name
      }
    }
  }
`);

/** The runs a decision can be about (those in progress) and the lines a line hold can stop. */
export const QualityRunsQuery = graphql(`
  query QualityRuns {
    workOrders(filter: { status: [IN_PROGRESS] }, first: 50) {
      edges {
        node {
          id
          number
          product {
            name
          }
          line {
            code
          }
          runs {
            id
            status
            startedAt
            operatorName
          }
        }
      }
    }
    lines {
      id
      code
      name
    }
  }
`);

export const SuppliersQuery = graphql(`
  query Suppliers {
    parties(kind: SUPPLIER) {
      id
      code
      name
    }
  }
`);

export const RecordQcDecisionMutation = graphql(`
  mutation RecordQcDecision($input: RecordQcDecisionInput!) {
    recordQcDecision(input: $input) {
      decision {
        ...QualityDecision
      }
      affectedLots {
        id
        code
      }
    }
  }
`);

export const OpenHoldsQuery = graphql(`
  query OpenHolds($first: Int, $after: String) {
    holds(activeOnly: true, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          reason
          placedAt
          placedByName
          lot {
            id
            code
            material {
              name
            }
          }
          cause {
            id
            lot {
              code
            }
          }
          supplierHold {
            id
            supplierLotCode
          }
          decision {
            result
            gate {
              name
            }
          }
        }
      }
    }
  }
`);

export const OpenSupplierHoldsQuery = graphql(`
  query OpenSupplierHolds($first: Int, $after: String) {
    supplierHolds(activeOnly: true, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          supplierLotCode
          reason
          placedAt
          placedByName
          supplier {
            name
          }
          holds {
            id
          }
        }
      }
    }
  }
`);

export const PlaceHoldMutation = graphql(`
  mutation PlaceHold($input: PlaceHoldInput!) {
    placeHold(input: $input) {
      affectedLots {
        id
      }
      shippedLots {
        code
      }
    }
  }
`);

export const PlaceSupplierHoldMutation = graphql(`
  mutation PlaceSupplierHold($input: PlaceSupplierHoldInput!) {
    placeSupplierHold(input: $input) {
      affectedLots {
        id
      }
    }
  }
`);

export const PlaceLineHoldMutation = graphql(`
  mutation PlaceLineHold($input: PlaceLineHoldInput!) {
    placeLineHold(input: $input) {
      affectedLots {
        id
      }
      since
    }
  }
`);

export const ReleaseHoldMutation = graphql(`
  mutation ReleaseHold($input: ReleaseHoldInput!) {
    releaseHold(input: $input) {
      released {
        id
      }
    }
  }
`);

export const ReleaseSupplierHoldMutation = graphql(`
  mutation ReleaseSupplierHold($input: ReleaseSupplierHoldInput!) {
    releaseSupplierHold(input: $input) {
      supplierHold {
        id
        active
      }
    }
  }
`);

export const NonConformanceFragment = graphql(`
  fragment NonConformanceRow on NonConformance {
    id
    number
    status
    description
    owner
    disposition
    correctiveAction
    openedAt
    openedByName
    closedAt
    closedByName
    lot {
      code
    }
    hold {
      reason
    }
    decision {
      result
      gate {
        name
      }
    }
    dispositionSignature {
      signerName
      signedAt
      meaning
    }
    closeSignature {
      signerName
      signedAt
      meaning
    }
  }
`);

export const NonConformancesQuery = graphql(`
  query NonConformances($status: NonConformanceStatus, $first: Int, $after: String) {
    nonConformances(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...NonConformanceRow
        }
      }
    }
  }
`);

export const OpenNonConformanceMutation = graphql(`
  mutation OpenNonConformance($input: OpenNonConformanceInput!) {
    openNonConformance(input: $input) {
      nonConformance {
        ...NonConformanceRow
      }
    }
  }
`);

export const SetDispositionMutation = graphql(`
  mutation SetDisposition($input: SetDispositionInput!) {
    setDisposition(input: $input) {
      nonConformance {
        ...NonConformanceRow
      }
    }
  }
`);

export const CloseNonConformanceMutation = graphql(`
  mutation CloseNonConformance($input: CloseNonConformanceInput!) {
    closeNonConformance(input: $input) {
      nonConformance {
        ...NonConformanceRow
      }
    }
  }
`);

export const CharacteristicStatisticsQuery = graphql(`
  query CharacteristicStatistics($gateId: ID!, $characteristic: String!, $from: DateTime!, $to: DateTime!) {
    characteristicStatistics(gateId: $gateId, characteristic: $characteristic, from: $from, to: $to) {
      count
      mean
      standardDeviation
      lower
      upper
      cp
      cpk
    }
  }
`);

/** The counts on the tabs: what waits for someone. */
export const QualityCountsQuery = graphql(`
  query QualityCounts {
    holds(activeOnly: true, first: 0) {
      totalCount
    }
    supplierHolds(activeOnly: true, first: 0) {
      totalCount
    }
    nonConformances(status: OPEN, first: 0) {
      totalCount
    }
  }
`);
