import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { RESERVE_SCRIPT, SETTLE_SCRIPT } from './routing-state-scripts';
import {
  DEFAULT_USAGE_WINDOW_MS,
  NO_LIMIT,
  type DeploymentUsage,
  type LatencyKind,
  type LatencySample,
  type LatencyWindow,
  type ReserveOrder,
  type RoutingStateStore,
  type UsageLimits,
  type UsageReservation,
} from './routing-state-store';

export interface RedisRoutingStateStoreOptions {
  /** A connection the caller owns (and closes); scripts are sent as EVALSHA, falling back to EVAL once. */
  client: Redis;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "rt:". */
  prefix: string;
  /** Length of a usage window. Default one minute; every replica must use the same. */
  windowMs?: number;
  /** Milliseconds since the epoch for in-flight leases and latency ages (usage windows use Redis's clock). */
  now?: () => number;
}

interface ScriptedRedis extends Redis {
  tollgateRoutingReserve(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  tollgateRoutingSettle(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

/**
 * Routing state in Redis, shared by every gateway replica. Keys (under `<prefix>rt:`): `u:<id>` usage hash
 * of the current window, `f:<id>` sorted set of attempts in flight scored by lease expiry, `l:<kind>:<id>`
 * list of recent latencies (`<at>:<ms>`, newest first). Every key expires on its own, so a deployment removed
 * from the configuration leaves nothing behind. Like the rate-limit store, it targets a single Redis (or a
 * primary with replicas): a reservation's keys would need a common hash tag under Redis Cluster.
 */
export class RedisRoutingStateStore implements RoutingStateStore {
  private readonly client: ScriptedRedis;
  private readonly prefix: string;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: RedisRoutingStateStoreOptions) {
    const client = options.client as ScriptedRedis;
    if (typeof client.tollgateRoutingReserve !== 'function') {
      client.defineCommand('tollgateRoutingReserve', { lua: RESERVE_SCRIPT });
      client.defineCommand('tollgateRoutingSettle', { lua: SETTLE_SCRIPT });
    }
    this.client = client;
    this.prefix = `${options.prefix}rt:`;
    this.windowMs = options.windowMs ?? DEFAULT_USAGE_WINDOW_MS;
    this.now = options.now ?? Date.now;
  }

  async reserve(candidates: readonly UsageLimits[], tokens: number, order: ReserveOrder): Promise<UsageReservation | undefined> {
    if (candidates.length === 0) return undefined;
    const limits = candidates.flatMap((candidate) => [candidate.rpm ?? NO_LIMIT, candidate.tpm ?? NO_LIMIT]);
    const reply = await this.client.tollgateRoutingReserve(
      candidates.length,
      ...candidates.map((candidate) => this.usageKey(candidate.deploymentId)),
      this.windowMs,
      tokens,
      order,
      ...limits,
    );
    const index = Number(reply[0]);
    if (index === 0) return undefined;
    return { deploymentId: candidates[index - 1].deploymentId, window: Number(reply[1]), tokens };
  }

  async settle(reservation: UsageReservation, actualTokens: number): Promise<void> {
    const delta = actualTokens - reservation.tokens;
    if (delta === 0) return;
    await this.client.tollgateRoutingSettle(1, this.usageKey(reservation.deploymentId), this.windowMs, reservation.window, delta);
  }

  async usage(deploymentIds: readonly string[]): Promise<Map<string, DeploymentUsage>> {
    const pipeline = this.client.pipeline().time();
    for (const id of deploymentIds) pipeline.hmget(this.usageKey(id), 'w', 'r', 't');
    const [clock, ...rows] = await run<[string, string] | (string | null)[]>(pipeline);
    const [seconds, micros] = clock as [string, string];
    const window = Math.floor((Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)) / this.windowMs);
    return new Map(
      deploymentIds.map((id, index) => {
        const [stored, requests, tokens] = rows[index] as (string | null)[];
        return [id, Number(stored) === window ? { requests: Number(requests ?? 0), tokens: Number(tokens ?? 0) } : { requests: 0, tokens: 0 }];
      }),
    );
  }

  async beginAttempt(deploymentId: string, attemptId: string, leaseMs: number): Promise<void> {
    const key = this.inFlightKey(deploymentId);
    const now = this.now();
    await run(this.client.pipeline().zremrangebyscore(key, '-inf', now).zadd(key, now + leaseMs, attemptId).pexpire(key, leaseMs));
  }

  async endAttempt(deploymentId: string, attemptId: string): Promise<void> {
    await this.client.zrem(this.inFlightKey(deploymentId), attemptId);
  }

  async inFlight(deploymentIds: readonly string[]): Promise<Map<string, number>> {
    const now = this.now();
    const pipeline = this.client.pipeline();
    for (const id of deploymentIds) pipeline.zcount(this.inFlightKey(id), `(${now}`, '+inf');
    const counts = await run<number>(pipeline);
    return new Map(deploymentIds.map((id, index) => [id, Number(counts[index])]));
  }

  async addLatency(deploymentId: string, kind: LatencyKind, ms: number, window: LatencyWindow): Promise<void> {
    const key = this.latencyKey(deploymentId, kind);
    await run(
      this.client
        .pipeline()
        .lpush(key, `${this.now()}:${ms}`)
        .ltrim(key, 0, window.keep - 1)
        .pexpire(key, Math.max(1, Math.ceil(window.ttlMs))),
    );
  }

  async latencies(deploymentIds: readonly string[], kind: LatencyKind, window: LatencyWindow): Promise<Map<string, LatencySample[]>> {
    const pipeline = this.client.pipeline();
    for (const id of deploymentIds) pipeline.lrange(this.latencyKey(id, kind), 0, window.keep - 1);
    const lists = await run<string[]>(pipeline);
    const oldest = this.now() - window.ttlMs;
    return new Map(deploymentIds.map((id, index) => [id, lists[index].map(parseSample).filter((sample) => sample.at > oldest)]));
  }

  private usageKey(deploymentId: string): string {
    return `${this.prefix}u:${deploymentId}`;
  }

  private inFlightKey(deploymentId: string): string {
    return `${this.prefix}f:${deploymentId}`;
  }

  private latencyKey(deploymentId: string, kind: LatencyKind): string {
    return `${this.prefix}l:${kind}:${deploymentId}`;
  }
}

/** Runs a pipeline, throwing its first command error, and returns every reply. */
async function run<T>(pipeline: ChainableCommander): Promise<T[]> {
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([error]) => error)?.[0];
  if (failure) throw failure;
  return results.map(([, value]) => value as T);
}

function parseSample(entry: string): LatencySample {
  const colon = entry.indexOf(':');
  return { at: Number(entry.slice(0, colon)), ms: Number(entry.slice(colon + 1)) };
}
