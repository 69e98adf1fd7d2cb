import type { CancelSignal, GatewayError } from '@tollgate/common';
import type { Deployment } from '@tollgate/providers';
import type { RouterConfig } from '@tollgate/config';
import type { FailureClass } from '../cooldowns/cooldowns';
import type { ModelGroups } from '../groups/model-groups';

/** Resolves a requested model name to its group's candidate deployments (ModelGroups). */
export type GroupResolver = Pick<ModelGroups, 'resolve'>;

/** The router's settings it reads (from `routerConfigOf`). */
export type RouterPolicy = Pick<
  RouterConfig,
  | 'numRetries'
  | 'retryPolicy'
  | 'modelGroupRetryPolicy'
  | 'retryAfterSeconds'
  | 'fallbacks'
  | 'contextWindowFallbacks'
  | 'contentPolicyFallbacks'
  | 'defaultFallbacks'
  | 'maxFallbacks'
>;

/** Longest wait between two attempts (LiteLLM's MAX_RETRY_DELAY). */
export const MAX_RETRY_DELAY_MS = 8_000;

/** What the caller asked for that shapes routing. */
export interface RoutedRequest {
  model: string;
  tags?: readonly string[];
  inputTokens: number;
  stream: boolean;
  /** Per-request `num_retries` (body or `x-litellm-num-retries`). */
  numRetries?: number;
  /** Per-request `fallbacks` (model names), replacing the configured ones. */
  fallbacks?: readonly string[];
  /** Per-request `timeout` / `stream_timeout`, ms. */
  timeoutMs?: number;
  streamTimeoutMs?: number;
  /** The caller went away: stop retrying. */
  signal: CancelSignal;
}

/** One attempt: the deployment chosen and the group it belongs to. */
export interface AttemptTarget {
  deployment: Deployment;
  group: string;
  /** 0 for the first attempt of the request. */
  attempt: number;
}

export interface AttemptReport {
  /** Tokens the attempt used (for usage-based routing), when known. */
  tokens?: number;
  /** Streams: time to the first chunk. */
  ttftMs?: number;
}

/** The result of a routed call with what it took. */
export interface Routed<T> {
  value: T;
  deployment: Deployment;
  group: string;
  attemptedRetries: number;
  attemptedFallbacks: number;
  /** Reports the end of the successful attempt (for streams, when the stream ends) to the strategy. */
  finish(report: AttemptReport & { ok: boolean }): void;
}

export type AttemptFn<T> = (target: AttemptTarget) => Promise<T>;

export type FailureClassifier = (error: GatewayError) => FailureClass;
