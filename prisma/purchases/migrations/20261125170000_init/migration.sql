-- CreateEnum
CREATE TYPE "PurchaseStatus" AS ENUM ('PENDING', 'COMPLETED');

-- CreateTable
CREATE TABLE "Purchase" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "PurchaseStatus" NOT NULL DEFAULT 'PENDING',
    "idempotencyKey" VARCHAR(100) NOT NULL,
    "productName" VARCHAR(200),
    "unitPrice" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Purchase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Purchase_memberId_idempotencyKey_key" ON "Purchase"("memberId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Purchase_memberId_status_id_idx" ON "Purchase"("memberId", "status", "id");

-- CreateIndex
CREATE INDEX "Purchase_status_createdAt_idx" ON "Purchase"("status", "createdAt");

-- A completed purchase always carries what was paid. (Prisma does not model CHECK constraints.)
ALTER TABLE "Purchase" ADD CONSTRAINT "Purchase_quantity_check" CHECK ("quantity" > 0);
ALTER TABLE "Purchase" ADD CONSTRAINT "Purchase_completed_check"
    CHECK ("status" = 'PENDING' OR ("productName" IS NOT NULL AND "unitPrice" IS NOT NULL AND "completedAt" IS NOT NULL));
