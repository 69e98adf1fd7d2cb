-- CreateTable
CREATE TABLE "budgets" (
    "budget_id" TEXT NOT NULL,
    "max_budget" DECIMAL(24,12),
    "soft_budget" DECIMAL(24,12),
    "max_parallel_requests" INTEGER,
    "tpm_limit" BIGINT,
    "rpm_limit" BIGINT,
    "model_max_budget" JSONB,
    "budget_duration" TEXT,
    "budget_reset_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("budget_id")
);

-- CreateTable
CREATE TABLE "organizations" (
    "organization_id" TEXT NOT NULL,
    "organization_alias" TEXT NOT NULL,
    "budget_id" TEXT,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "organization_members" (
    "user_id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_role" TEXT NOT NULL,
    "budget_id" TEXT,
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_members_pkey" PRIMARY KEY ("user_id","organization_id")
);

-- CreateTable
CREATE TABLE "teams" (
    "team_id" TEXT NOT NULL,
    "team_alias" TEXT,
    "organization_id" TEXT,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "model_aliases" JSONB NOT NULL DEFAULT '{}',
    "max_budget" DECIMAL(24,12),
    "soft_budget" DECIMAL(24,12),
    "budget_duration" TEXT,
    "budget_reset_at" TIMESTAMPTZ(3),
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "tpm_limit" BIGINT,
    "rpm_limit" BIGINT,
    "max_parallel_requests" INTEGER,
    "model_rpm_limit" JSONB,
    "model_tpm_limit" JSONB,
    "model_max_budget" JSONB,
    "team_member_permissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "guardrails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("team_id")
);

-- CreateTable
CREATE TABLE "team_members" (
    "user_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "budget_id" TEXT,
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_members_pkey" PRIMARY KEY ("user_id","team_id")
);

-- CreateTable
CREATE TABLE "users" (
    "user_id" TEXT NOT NULL,
    "user_email" TEXT,
    "user_alias" TEXT,
    "user_role" TEXT NOT NULL DEFAULT 'internal_user',
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "max_budget" DECIMAL(24,12),
    "budget_duration" TEXT,
    "budget_reset_at" TIMESTAMPTZ(3),
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "tpm_limit" BIGINT,
    "rpm_limit" BIGINT,
    "max_parallel_requests" INTEGER,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "users_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "end_users" (
    "end_user_id" TEXT NOT NULL,
    "alias" TEXT,
    "budget_id" TEXT,
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "allowed_model_region" TEXT,
    "default_model" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "end_users_pkey" PRIMARY KEY ("end_user_id")
);

-- CreateTable
CREATE TABLE "virtual_keys" (
    "token" TEXT NOT NULL,
    "key_name" TEXT NOT NULL,
    "key_alias" TEXT,
    "user_id" TEXT,
    "team_id" TEXT,
    "organization_id" TEXT,
    "budget_id" TEXT,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "aliases" JSONB NOT NULL DEFAULT '{}',
    "max_budget" DECIMAL(24,12),
    "soft_budget" DECIMAL(24,12),
    "budget_duration" TEXT,
    "budget_reset_at" TIMESTAMPTZ(3),
    "spend" DECIMAL(24,12) NOT NULL DEFAULT 0,
    "tpm_limit" BIGINT,
    "rpm_limit" BIGINT,
    "max_parallel_requests" INTEGER,
    "model_max_budget" JSONB,
    "model_rpm_limit" JSONB,
    "model_tpm_limit" JSONB,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "permissions" JSONB NOT NULL DEFAULT '{}',
    "allowed_routes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "guardrails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "expires" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "virtual_keys_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "model_access_groups" (
    "name" TEXT NOT NULL,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_access_groups_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "object_type" TEXT NOT NULL,
    "object_id" TEXT NOT NULL,
    "before_value" JSONB,
    "after_value" JSONB,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "organization_members_organization_id_idx" ON "organization_members"("organization_id");

-- CreateIndex
CREATE INDEX "teams_organization_id_idx" ON "teams"("organization_id");

-- CreateIndex
CREATE INDEX "team_members_team_id_idx" ON "team_members"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_user_email_key" ON "users"("user_email");

-- CreateIndex
CREATE UNIQUE INDEX "virtual_keys_key_alias_key" ON "virtual_keys"("key_alias");

-- CreateIndex
CREATE INDEX "virtual_keys_user_id_idx" ON "virtual_keys"("user_id");

-- CreateIndex
CREATE INDEX "virtual_keys_team_id_idx" ON "virtual_keys"("team_id");

-- CreateIndex
CREATE INDEX "virtual_keys_budget_reset_at_idx" ON "virtual_keys"("budget_reset_at");

-- CreateIndex
CREATE INDEX "audit_logs_object_type_object_id_idx" ON "audit_logs"("object_type", "object_id");

-- CreateIndex
CREATE INDEX "audit_logs_at_idx" ON "audit_logs"("at");
