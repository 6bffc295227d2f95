import { graphql } from "@/gql";

/** A page of work orders, newest first, as the production list shows them. */
export const WorkOrderListQuery = graphql(`
  query ProductionWorkOrders($filter: WorkOrderFilter, $first: Int, $after: String) {
    workOrders(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...WorkOrderRow
        }
      }
    }
  }
`);

export const WorkOrderRowFragment = graphql(`
  fragment WorkOrderRow on WorkOrder {
    id
    number
    status
    plannedQuantity
    createdAt
    product {
      id
      name
      sku
      uom
    }
    line {
      id
      code
      name
    }
    phases {
      sequence
      name
      gateId
    }
    runs {
      id
      status
      startedAt
    }
  }
`);

/** The lines and gates the list filters by and names phases' gates with. */
export const ProductionReferenceQuery = graphql(`
  query ProductionReference {
    lines {
      id
      code
      name
    }
    qcGates {
      id
      name
      blocking
    }
  }
`);

export const CreateWorkOrderMutation = graphql(`
  mutation ProductionCreateWorkOrder($input: CreateWorkOrderInput!) {
    createWorkOrder(input: $input) {
      workOrder {
        ...WorkOrderRow
      }
    }
  }
`);

export const ReleaseWorkOrderMutation = graphql(`
  mutation ProductionReleaseWorkOrder($input: ReleaseWorkOrderInput!) {
    releaseWorkOrder(input: $input) {
      workOrder {
        ...WorkOrderRow
      }
    }
  }
`);

export const StartRunMutation = graphql(`
  mutation ProductionStartRun($input: StartRunInput!) {
    startRun(input: $input) {
      run {
        id
      }
    }
  }
`);

/** Everything the run console shows, with the gates (to name a phase's gate) and where output may go. */
export const RunConsoleQuery = graphql(`
  query ProductionRunConsole($id: ID!) {
    run(id: $id) {
      ...RunConsole
    }
    qcGates {
      id
      name
      blocking
    }
    locations {
      id
      code
      name
      kind
    }
  }
`);

export const RunConsoleFragment = graphql(`
  fragment RunConsole on ProductionRun {
    id
    status
    startedAt
    endedAt
    operatorName
    currentPhase {
      sequence
      name
    }
    phases {
      sequence
      name
      gateId
      startedAt
      endedAt
    }
    gates {
      passed
      gate {
        id
        name
      }
      lastDecision {
        result
        decidedByName
        decidedAt
      }
    }
    consumptions {
      id
      quantity
      consumedAt
      operatorName
      lot {
        id
        code
        uom
        material {
          name
          sku
        }
      }
    }
    outputs {
      id
      quantity
      recordedAt
      operatorName
      serials {
        id
        serialNumber
      }
      lot {
        id
        code
        uom
        status
        createdAt
        material {
          name
          sku
        }
        location {
          code
          name
        }
      }
    }
    workOrder {
      id
      number
      status
      plannedQuantity
      product {
        id
        name
        sku
        uom
        tracking
      }
      line {
        id
        code
        name
      }
      components {
        quantity
        material {
          id
          name
          sku
          uom
        }
      }
      runs {
        id
      }
    }
  }
`);

/** A scanned code: what the operator is about to consume, and why it may be refused. */
export const ScanLotQuery = graphql(`
  query ProductionScanLot($code: String!) {
    lot(code: $code) {
      id
      code
      quantity
      uom
      status
      expiresAt
      material {
        id
        name
        sku
      }
      holds {
        active
        reason
      }
      awaitingRelease {
        kind
        gate {
          name
        }
      }
    }
  }
`);

export const ConsumeLotMutation = graphql(`
  mutation ProductionConsumeLot($input: ConsumeLotInput!) {
    consumeLot(input: $input) {
      consumption {
        id
        quantity
        lot {
          id
          code
          uom
          quantity
        }
      }
    }
  }
`);

export const RecordOutputMutation = graphql(`
  mutation ProductionRecordOutput($input: RecordOutputInput!) {
    recordOutput(input: $input) {
      output {
        id
        quantity
        lot {
          id
          code
          uom
        }
      }
    }
  }
`);

export const AdvancePhaseMutation = graphql(`
  mutation ProductionAdvancePhase($input: AdvancePhaseInput!) {
    advancePhase(input: $input) {
      run {
        ...RunConsole
      }
    }
  }
`);

export const CompleteRunMutation = graphql(`
  mutation ProductionCompleteRun($input: CompleteRunInput!) {
    completeRun(input: $input) {
      run {
        ...RunConsole
      }
    }
  }
`);

/** Inputs against outputs per unit, from the genealogy (it lags production by a moment). */
export const MassBalanceQuery = graphql(`
  query ProductionMassBalance($runId: ID!) {
    massBalance(runId: $runId) {
      tolerancePercent
      flagged
      lines {
        uom
        input
        output
        scrap
        difference
        percent
        flagged
      }
    }
  }
`);

export const RunChangedSubscription = graphql(`
  subscription ProductionRunChanged($runId: ID!) {
    runChanged(runId: $runId) {
      id
    }
  }
`);
