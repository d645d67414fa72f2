-- CreateIndex
CREATE INDEX "Purchase_productId_status_id_idx" ON "Purchase"("productId", "status", "id");
