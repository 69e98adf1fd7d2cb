-- AlterTable
ALTER TABLE "request_logs" ADD COLUMN     "end_user_id" TEXT,
ADD COLUMN     "organization_id" TEXT,
ADD COLUMN     "tags" TEXT[],
ADD COLUMN     "team_id" TEXT,
ADD COLUMN     "user_id" TEXT;

-- CreateTable
CREATE TABLE "daily_spend" (
    "date" DATE NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "successes" BIGINT NOT NULL DEFAULT 0,
    "failures" BIGINT NOT NULL DEFAULT 0,
    "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
    "completion_tokens" BIGINT NOT NULL DEFAULT 0,
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,

    CONSTRAINT "daily_spend_pkey" PRIMARY KEY ("date","entity_type","entity_id","model")
);

-- CreateIndex
CREATE INDEX "daily_spend_entity_type_entity_id_date_idx" ON "daily_spend"("entity_type", "entity_id", "date");
