/**
 * The configuration Tollgate runs with, as produced by `loadConfig`. The sections keep LiteLLM's
 * snake_case key names exactly (a LiteLLM `config.yaml` loads as it is); `os.environ/NAME` references are
 * already resolved. Fields Tollgate interprets are typed; everything else stays available as `unknown`
 * for the features that will read it.
 */

export interface LitellmParams {
  /** `<provider>/<model>`, for example `openai/gpt-4o` or `fake/echo`. */
  model: string;
  api_base?: string;
  api_key?: string;
  api_version?: string;
  /** Whole-request timeout in seconds. */
  timeout?: number;
  /** Time-to-first-chunk timeout in seconds for streams. */
  stream_timeout?: number;
  rpm?: number;
  tpm?: number;
  weight?: number;
  max_retries?: number;
  /** Tag-based routing (`router_settings.enable_tag_filtering`): requests carrying one of these tags may use this deployment; `default` takes untagged requests. */
  tags?: string[];
  /** Any other key is a provider parameter passed through to the upstream request. */
  [extra: string]: unknown;
}

export interface ModelInfo {
  id?: string;
  mode?: string;
  base_model?: string;
  /** Context window in tokens, used by pre-call checks; overrides the pricing catalog's. */
  max_input_tokens?: number;
  [extra: string]: unknown;
}

export interface DeploymentConfig {
  /** The public model group name (`model_name`). */
  model_name: string;
  litellm_params: LitellmParams;
  model_info: ModelInfo;
  /** `rpm` / `tpm` written beside `litellm_params`, as some LiteLLM examples do (also read from either mapping). */
  rpm?: unknown;
  tpm?: unknown;
}

export interface GeneralSettings {
  master_key?: string;
  database_url?: string;
  /** Request bodies larger than this are refused with 413 (LiteLLM's `max_request_size_mb`). */
  max_request_size_mb?: number;
  /** Turns off the job that starts new budget periods (LiteLLM's name). */
  disable_reset_budget?: boolean;
  /** Seconds between two runs of the budget-reset job (LiteLLM's name); default 10. */
  proxy_budget_rescheduler_min_time?: number;
  /** Most open connections to one upstream origin (0: no limit); env AIOHTTP_CONNECTOR_LIMIT wins. */
  upstream_max_connections_per_host?: number;
  /** Seconds an idle upstream connection is kept open; env AIOHTTP_KEEPALIVE_TIMEOUT wins. */
  upstream_keepalive_timeout?: number;
  [extra: string]: unknown;
}

export interface LitellmSettings {
  drop_params?: boolean;
  /** Default whole-request timeout in seconds. */
  request_timeout?: number;
  num_retries?: number;
  /** Budget (USD) of every end user without a budget of their own. */
  max_end_user_budget?: number;
  /** A budget row applied to every end user without a budget of their own. */
  max_end_user_budget_id?: string;
  [extra: string]: unknown;
}

export interface RouterSettings {
  routing_strategy?: string;
  redis_url?: string;
  redis_host?: string;
  redis_port?: number;
  redis_password?: string;
  num_retries?: number;
  timeout?: number;
  stream_timeout?: number;
  [extra: string]: unknown;
}

/** Settings resolved from the file, the environment and command-line flags (flags win, then env, then file). */
export interface RuntimeSettings {
  port: number;
  host: string;
  masterKey?: string;
  /** Undefined means: run the embedded PostgreSQL. */
  databaseUrl?: string;
  /** Undefined means: shared state and queues in memory, in this process. */
  redisUrl?: string;
  /** Folder for the embedded database and other local state. */
  dataDir: string;
  /** Largest accepted request body, in bytes. */
  maxRequestBytes: number;
  /** Upstream connection pool sizing; a field left undefined keeps the built-in default. */
  upstreamPool?: UpstreamPoolSettings;
  /** Length of a rate-limit window (rpm/tpm), in milliseconds; undefined keeps the built-in 60 s. */
  rateLimitWindowMs?: number;
  /**
   * With Redis: decide rate limits and budgets in this process against counters exchanged with Redis this
   * often (ms). Undefined: every request is checked and charged in Redis.
   */
  limitsSyncMs?: number;
}

export interface UpstreamPoolSettings {
  /** Most connections per upstream origin; 0 means no limit. */
  connectionsPerOrigin?: number;
  /** How long an idle connection is kept, in milliseconds. */
  keepAliveMs?: number;
}

export interface TollgateConfig {
  /** Absolute path of the file the configuration came from, when it came from a file. */
  sourceFile?: string;
  model_list: DeploymentConfig[];
  general_settings: GeneralSettings;
  litellm_settings: LitellmSettings;
  router_settings: RouterSettings;
  environment_variables: Record<string, string>;
  runtime: RuntimeSettings;
  /** Dotted paths of keys that were accepted but are not used by this version (warned about once). */
  unusedKeys: string[];
  /**
   * Top-level sections other than the five above (`guardrails`, `credential_list`, `mcp_servers`, ...),
   * with `os.environ/` references resolved, kept for the features that will read them.
   */
  otherSections: Record<string, unknown>;
  /**
   * Non-fatal findings, one line each in the same format as `ConfigError` problems: for example an
   * `os.environ/NAME` reference whose variable is not set. They name paths and variables, never values.
   */
  warnings: string[];
}

/** Command-line overrides for `loadConfig`. */
export interface ConfigOverrides {
  port?: number;
  host?: string;
}
