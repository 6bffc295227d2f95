-- CreateTable
CREATE TABLE "recall_case" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "drill" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "reason" TEXT NOT NULL,
    "source_lot_id" UUID,
    "supplier_lot_code" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "opened_by_id" TEXT NOT NULL,
    "opened_by_name" TEXT NOT NULL,
    "answered_in_ms" INTEGER NOT NULL DEFAULT 0,
    "containment" TEXT NOT NULL DEFAULT 'NONE',
    "hold_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "supplier_hold_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "closed_at" TIMESTAMPTZ(3),
    "closed_by_id" TEXT,
    "closed_by_name" TEXT,
    "close_reason" TEXT,
    "signer_name" TEXT,
    "signed_at" TIMESTAMPTZ(3),
    "signature_meaning" TEXT,

    CONSTRAINT "recall_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recall_case_counter" (
    "prefix" TEXT NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "recall_case_counter_pkey" PRIMARY KEY ("prefix")
);

-- CreateTable
CREATE TABLE "recall_case_lot" (
    "case_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,

    CONSTRAINT "recall_case_lot_pkey" PRIMARY KEY ("case_id","lot_id")
);

-- CreateTable
CREATE TABLE "recall_notice" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "notified_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "note" TEXT NOT NULL DEFAULT '',
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recorded_by_id" TEXT NOT NULL,
    "recorded_by_name" TEXT NOT NULL,

    CONSTRAINT "recall_notice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "recall_case_number_key" ON "recall_case"("number");

-- CreateIndex
CREATE INDEX "recall_case_opened_at_idx" ON "recall_case"("opened_at");

-- CreateIndex
CREATE INDEX "recall_notice_case_id_idx" ON "recall_notice"("case_id");

-- AddForeignKey
ALTER TABLE "recall_case_lot" ADD CONSTRAINT "recall_case_lot_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "recall_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recall_notice" ADD CONSTRAINT "recall_notice_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "recall_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
