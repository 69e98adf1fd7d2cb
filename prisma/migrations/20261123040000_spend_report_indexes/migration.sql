-- CreateIndex
CREATE INDEX "request_logs_user_id_started_at_idx" ON "request_logs"("user_id", "started_at");

-- CreateIndex
CREATE INDEX "request_logs_team_id_started_at_idx" ON "request_logs"("team_id", "started_at");
