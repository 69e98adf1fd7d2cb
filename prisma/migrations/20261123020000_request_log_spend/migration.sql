-- AlterTable
ALTER TABLE "request_logs" ADD COLUMN     "spend" DECIMAL(24,12) NOT NULL DEFAULT 0;
