-- AlterTable
ALTER TABLE "shipment_lot" ADD COLUMN     "from_location_id" UUID;

-- CreateTable
CREATE TABLE "run_fact" (
    "run_id" UUID NOT NULL,
    "line_id" UUID,
    "location_id" UUID,

    CONSTRAINT "run_fact_pkey" PRIMARY KEY ("run_id")
);

-- CreateTable
CREATE TABLE "material_fact" (
    "material_id" UUID NOT NULL,
    "sku" TEXT,
    "name" TEXT,
    "uom" TEXT,
    "kind" TEXT,

    CONSTRAINT "material_fact_pkey" PRIMARY KEY ("material_id")
);

-- CreateTable
CREATE TABLE "location_fact" (
    "location_id" UUID NOT NULL,
    "code" TEXT,
    "name" TEXT,
    "kind" TEXT,
    "parent_id" UUID,

    CONSTRAINT "location_fact_pkey" PRIMARY KEY ("location_id")
);

-- CreateTable
CREATE TABLE "party_fact" (
    "party_id" UUID NOT NULL,
    "code" TEXT,
    "name" TEXT,
    "kind" TEXT,

    CONSTRAINT "party_fact_pkey" PRIMARY KEY ("party_id")
);

-- CreateTable
CREATE TABLE "line_fact" (
    "line_id" UUID NOT NULL,
    "code" TEXT,
    "name" TEXT,

    CONSTRAINT "line_fact_pkey" PRIMARY KEY ("line_id")
);
