-- The journal of cross-service writes (decision 0012): a write that calls a peer service before
-- it records its own half is journalled first, with every id it will use, so that after a crash
-- (or a peer that was away) recovery completes it instead of leaving it half-done.
CREATE TABLE "pending_write" (
    "id" UUID NOT NULL,
    "operation" TEXT NOT NULL,
    "caller_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "result" JSONB,
    CONSTRAINT "pending_write_pkey" PRIMARY KEY ("id")
);
-- Recovery reads what is due (completed_at IS NULL, next_attempt_at passed) and prunes old completed rows.
CREATE INDEX "pending_write_due_idx" ON "pending_write"("completed_at", "next_attempt_at");
