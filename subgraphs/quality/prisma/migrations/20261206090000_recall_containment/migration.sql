-- The placements an open recall holds (decision 0029): none of their holds may be released, by any
-- path, while the recall is open. Closed when traceability's recall.closed event arrives.
-- CreateTable
CREATE TABLE "recall_containment" (
    "recall_case_id" UUID NOT NULL,
    "case_number" TEXT NOT NULL,
    "placement_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "contained_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "recall_containment_pkey" PRIMARY KEY ("recall_case_id")
);
