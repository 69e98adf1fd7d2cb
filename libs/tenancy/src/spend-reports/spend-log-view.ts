import type { RequestLog } from '@tollgate/database';

/** LiteLLM's `call_type` for the routes Tollgate logs; any other route is reported as it is. */
const CALL_TYPES: Record<string, string> = {
  '/chat/completions': 'acompletion',
  '/completions': 'atext_completion',
  '/embeddings': 'aembedding',
  '/messages': 'anthropic_messages',
};

function callType(route: string): string {
  const bare = route.replace(/^\/v1(?=\/)/, '');
  return CALL_TYPES[bare] ?? route;
}

/**
 * One request log as a row of LiteLLM's SpendLogs (its field names; `api_key` is the key's hash, as LiteLLM
 * stores it). `model` is what the deployment served, `model_group` what the caller asked for. Spend is exact
 * in the database and becomes a number only here.
 */
export function spendLogView(row: RequestLog): Record<string, unknown> {
  const failed = row.status >= 400;
  return {
    request_id: row.callId,
    call_type: callType(row.route),
    api_key: row.keyHash,
    spend: row.spend.toNumber(),
    total_tokens: row.totalTokens,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    startTime: row.startedAt.toISOString(),
    endTime: row.endedAt.toISOString(),
    request_duration_ms: row.latencyMs,
    completionStartTime: row.ttftMs === null ? null : new Date(row.startedAt.getTime() + row.ttftMs).toISOString(),
    model: row.upstreamModel ?? row.requestedModel,
    model_group: row.requestedModel,
    model_id: row.deploymentId,
    custom_llm_provider: row.provider,
    api_base: row.apiBase,
    user: row.userId,
    team_id: row.teamId,
    organization_id: row.organizationId,
    end_user: row.endUserId,
    request_tags: row.tags ?? [],
    status: failed ? 'failure' : 'success',
    metadata: {
      status_code: row.status,
      route: row.route,
      stream: row.stream,
      client_call_id: row.clientCallId,
      ...(failed ? { error_information: { error_class: row.errorType, error_message: row.errorMessage } } : {}),
    },
  };
}
