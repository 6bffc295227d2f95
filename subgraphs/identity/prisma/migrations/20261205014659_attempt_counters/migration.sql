-- CreateTable
CREATE TABLE "attempt_counter" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "attempt_counter_pkey" PRIMARY KEY ("key")
);
