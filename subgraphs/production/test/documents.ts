/** The operations the tests send, with the fields they check. */
export const CREATE_MATERIAL = `mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id } } }`;
export const CREATE_LOCATION = `mutation ($input: CreateLocationInput!) { createLocation(input: $input) { location { id } } }`;
export const RECEIVE_LOT = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id } } }`;
export const LOT = `query ($id: ID) { lot(id: $id) { id quantity status material { id } } }`;
export const CONSUME_FROM_LOT = `mutation ($input: ConsumeFromLotInput!) { consumeFromLot(input: $input) { movementId lot { id quantity } } }`;

export const CREATE_LINE = `mutation ($input: CreateLineInput!) { createLine(input: $input) { line { id code name } } }`;
export const LINES = `{ lines { id code } }`;
const WORK_ORDER_FIELDS = `id number status plannedQuantity product { id } line { id code }
  phases { sequence name gateId } components { material { id } quantity } runs { id status } createdAt`;
export const CREATE_WORK_ORDER = `mutation ($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { workOrder { ${WORK_ORDER_FIELDS} } } }`;
export const RELEASE_WORK_ORDER = `mutation ($input: ReleaseWorkOrderInput!) { releaseWorkOrder(input: $input) { workOrder { id status } } }`;
export const CANCEL_WORK_ORDER = `mutation ($input: CancelWorkOrderInput!) { cancelWorkOrder(input: $input) { workOrder { id status } } }`;
export const WORK_ORDER = `query ($id: ID!) { workOrder(id: $id) { ${WORK_ORDER_FIELDS} } }`;
export const WORK_ORDERS = `query ($filter: WorkOrderFilter, $first: Int, $after: String) {
  workOrders(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id number status } }
  }
}`;

const RUN_FIELDS = `id status startedAt endedAt operatorName operator { id } workOrder { id status }
  currentPhase { sequence name gateId } phases { sequence name startedAt endedAt }`;
export const START_RUN = `mutation ($input: StartRunInput!) { startRun(input: $input) { run { ${RUN_FIELDS} } } }`;
export const ADVANCE_PHASE = `mutation ($input: AdvancePhaseInput!) { advancePhase(input: $input) { run { ${RUN_FIELDS} } } }`;
export const COMPLETE_RUN = `mutation ($input: CompleteRunInput!) { completeRun(input: $input) { run { ${RUN_FIELDS} } } }`;
export const RUN = `query ($id: ID!) { run(id: $id) { ${RUN_FIELDS}
  consumptions { id quantity lot { id } operatorName consumedAt }
  outputs { id quantity lot { id } serials { id } recordedAt }
  summary {
    inputs { material { id } quantity lotCount }
    outputs { material { id } quantity lotCount }
    yields { material { id } planned actual yield }
  }
} }`;

export const CONSUME_LOT = `mutation ($input: ConsumeLotInput!) { consumeLot(input: $input) { consumption { id quantity lot { id } run { id } operatorName } } }`;
export const RECORD_OUTPUT = `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { id quantity lot { id } serials { id } run { id } } } }`;
export const INSTALL = `mutation ($input: InstallComponentInput!) { installComponent(input: $input) {
  installation { id parent { id } componentSerial { id } componentLot { id } quantity run { id } installedAt removedAt removalReason }
} }`;
export const REMOVE = `mutation ($input: RemoveComponentInput!) { removeComponent(input: $input) {
  installation { id removedAt removalReason }
} }`;
export const INSTALLATIONS = `query ($parent: ID!, $current: Boolean) { installations(parentSerialId: $parent, current: $current) { id componentSerial { id } removedAt } }`;

export const LOT_RUNS = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Lot { id producedBy { id } consumedIn { id } } } }`;
