-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('MATERIALS', 'LOCATIONS', 'PARTIES', 'OPENING_STOCK');

-- CreateEnum
CREATE TYPE "ImportFormat" AS ENUM ('CSV', 'JSON');

-- CreateEnum
CREATE TYPE "ImportMode" AS ENUM ('ALL_OR_NOTHING', 'VALID_ROWS');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('QUEUED', 'VALIDATING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "import_job" (
    "id" UUID NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "format" "ImportFormat" NOT NULL,
    "mode" "ImportMode" NOT NULL,
    "dry_run" BOOLEAN NOT NULL,
    "status" "ImportStatus" NOT NULL,
    "content" TEXT NOT NULL,
    "total_rows" INTEGER NOT NULL,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "imported_rows" INTEGER NOT NULL DEFAULT 0,
    "present_rows" INTEGER NOT NULL DEFAULT 0,
    "failed_rows" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "failure" TEXT,
    "created_by_id" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),

    CONSTRAINT "import_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_row_error" (
    "job_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "row" INTEGER NOT NULL,
    "column" TEXT,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "import_row_error_pkey" PRIMARY KEY ("job_id","seq")
);

-- CreateIndex
CREATE INDEX "import_job_created_at_id_idx" ON "import_job"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "import_job_status_idx" ON "import_job"("status");

-- CreateIndex
CREATE INDEX "import_row_error_job_id_row_idx" ON "import_row_error"("job_id", "row");

-- AddForeignKey
ALTER TABLE "import_row_error" ADD CONSTRAINT "import_row_error_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
