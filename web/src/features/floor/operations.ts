import { graphql } from "@/gql";

/** What the floor dashboard shows: work in progress per line, open holds, the latest decisions. */
export const FloorQuery = graphql(`
  query Floor {
    # 12 work orders in progress (more are counted, not shown) keep this within the API's cost limit.
    workOrders(filter: { status: [IN_PROGRESS] }, first: 12) {
      totalCount
      edges {
        node {
          id
          number
          plannedQuantity
          product {
            name
            uom
          }
          line {
            id
            code
            name
          }
          runs {
            id
            status
            startedAt
            operatorName
            currentPhase {
              name
              sequence
            }
            phases {
              name
              sequence
              gateId
            }
            gates {
              passed
              gate {
                id
                name
              }
            }
            outputs {
              quantity
            }
          }
        }
      }
    }
    qcGates {
      id
      name
    }
    holds(activeOnly: true, first: 8) {
      totalCount
      edges {
        node {
          id
          reason
          placedAt
          placedByName
          lot {
            code
            material {
              name
            }
          }
        }
      }
    }
    qcDecisions(first: 8) {
      edges {
        node {
          id
          result
          decidedAt
          decidedByName
          gate {
            name
          }
          lot {
            code
          }
          line {
            code
          }
        }
      }
    }
  }
`);

export const FloorRunChanged = graphql(`
  subscription FloorRunChanged {
    runChanged {
      id
    }
  }
`);
