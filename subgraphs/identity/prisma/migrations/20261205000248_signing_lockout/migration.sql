-- CreateTable
CREATE TABLE "signing_attempts" (
    "user_id" UUID NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "signing_attempts_pkey" PRIMARY KEY ("user_id")
);
