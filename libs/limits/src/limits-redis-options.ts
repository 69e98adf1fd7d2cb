/**
 * Options for the Redis connection that rate limits and live spend share.
 *
 * Auto-pipelining sends the commands issued in one event-loop turn (a request's budget check and admission,
 * many requests' settlements) in one write: fewer syscalls and round trips on the request path. It also holds
 * each command until the end of the turn, which is after the request's answer has been written. A request's
 * charges (its cost added to live spend, its tokens and parallel slot settled) are left out of it: they go
 * straight to the socket, where turnBatchedWrites gathers a turn's charges and releases the answers once they
 * are written. The next request, on any replica, is then checked against them: the request that crosses a
 * budget completes, and the next one is refused.
 */
export const WRITE_THROUGH_LIMIT_COMMANDS: readonly string[] = ['tollgateBudgetAdd', 'tollgateRateLimitSettle'];

export function limitsRedisOptions(): { enableAutoPipelining: true; autoPipeliningIgnoredCommands: string[] } {
  return { enableAutoPipelining: true, autoPipeliningIgnoredCommands: [...WRITE_THROUGH_LIMIT_COMMANDS] };
}
