import { graphql } from "@/gql";

/*
 * Live events a screen only needs as a signal to read its own query again: each asks for the id
 * alone. The floor dashboard, the kiosk and the quality screen share them.
 */

export const HoldPlacedSignal = graphql(`
  subscription HoldPlacedSignal {
    holdPlaced {
      id
    }
  }
`);

export const HoldReleasedSignal = graphql(`
  subscription HoldReleasedSignal {
    holdReleased {
      id
    }
  }
`);

export const DecisionRecordedSignal = graphql(`
  subscription DecisionRecordedSignal {
    qcDecisionRecorded {
      id
    }
  }
`);
