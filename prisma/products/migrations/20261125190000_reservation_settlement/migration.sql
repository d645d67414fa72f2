-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('TAKEN', 'CANCELLED');

-- AlterTable
ALTER TABLE "StockReservation" ADD COLUMN     "status" "ReservationStatus" NOT NULL DEFAULT 'TAKEN',
ALTER COLUMN "productName" DROP NOT NULL,
ALTER COLUMN "unitPrice" DROP NOT NULL;

-- Stock taken always records what it was sold at. (Prisma does not model CHECK constraints.)
ALTER TABLE "StockReservation" ADD CONSTRAINT "StockReservation_taken_check"
    CHECK ("status" = 'CANCELLED' OR ("productName" IS NOT NULL AND "unitPrice" IS NOT NULL));
