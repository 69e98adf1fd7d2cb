import type { Deployment } from '@tollgate/providers';

/** What a strategy knows about the request it routes. */
export interface RouteRequest {
  /** The model group (after aliases and wildcards). */
  group: string;
  /** Estimated prompt tokens (for TPM headroom and context-window checks). */
  inputTokens: number;
  stream: boolean;
}

/** How one attempt on a deployment ended, reported to the strategy for its statistics. */
export interface AttemptOutcome {
  ok: boolean;
  /** Whole attempt, ms (for streams: until the stream ended or failed). */
  latencyMs: number;
  /** Streams: time to the first chunk, ms. */
  ttftMs?: number;
  /** Tokens the attempt used (prompt + completion) when known, else the estimate. */
  tokens: number;
}

/**
 * Chooses one deployment of a model group for a request (LiteLLM's `routing_strategy`). The router hands it
 * only candidates that may serve now (not cooling down, tags and context window checked). A new strategy is
 * a new file implementing this interface, registered in `strategies/index.ts`.
 */
export interface RoutingStrategy {
  readonly name: string;
  /**
   * True when `pick` charges the chosen deployment's per-minute usage against its `rpm`/`tpm` itself
   * (usage-based, cost-based), so `enforce_model_rate_limits` has nothing to add.
   */
  readonly chargesDeploymentUsage?: boolean;
  /**
   * One of `candidates` (never empty), or undefined when none may take the request now (for example every
   * deployment is at its rpm/tpm under usage-based routing): the router then answers 429 for the group.
   * When the choice reserved capacity (usage-based), it is counted for this attempt.
   */
  pick(candidates: readonly Deployment[], request: RouteRequest): Deployment | undefined | Promise<Deployment | undefined>;
  /** An attempt on `deployment` starts (after `pick` chose it). Must not block or throw. */
  onStart?(deployment: Deployment, request: RouteRequest): void;
  /** The attempt ended (success or failure). Must not block or throw. */
  onEnd?(deployment: Deployment, request: RouteRequest, outcome: AttemptOutcome): void;
}
