-- CreateTable
CREATE TABLE "request_logs" (
    "id" BIGSERIAL NOT NULL,
    "call_id" TEXT NOT NULL,
    "client_call_id" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "key_hash" TEXT NOT NULL,
    "requested_model" TEXT NOT NULL,
    "deployment_id" TEXT,
    "provider" TEXT,
    "upstream_model" TEXT,
    "api_base" TEXT,
    "route" TEXT NOT NULL,
    "stream" BOOLEAN NOT NULL DEFAULT false,
    "status" INTEGER NOT NULL,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "latency_ms" INTEGER NOT NULL,
    "ttft_ms" INTEGER,
    "error_type" TEXT,
    "error_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "request_logs_call_id_key" ON "request_logs"("call_id");

-- CreateIndex
CREATE INDEX "request_logs_client_call_id_idx" ON "request_logs"("client_call_id");

-- CreateIndex
CREATE INDEX "request_logs_started_at_idx" ON "request_logs"("started_at");

-- CreateIndex
CREATE INDEX "request_logs_key_hash_started_at_idx" ON "request_logs"("key_hash", "started_at");
