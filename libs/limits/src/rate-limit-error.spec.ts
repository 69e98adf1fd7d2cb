import { describe, expect, it } from 'vitest';
import { rateLimitError } from './rate-limit-error';

describe('rateLimitError', () => {
  it('is an HTTP 429 rate_limit_error naming the scope and limit, with retry-after', () => {
    const error = rateLimitError({ admitted: false, scope: 'team', subject: 'team-1', limit: 'rpm', limitValue: 50, retryAfterSeconds: 17 });
    expect(error.status).toBe(429);
    expect(error.toBody().error).toEqual({
      message: 'Rate limit reached for team team-1: rpm_limit 50. Retry after 17 s.',
      type: 'rate_limit_error',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(error.options.headers).toEqual({ 'retry-after': '17' });
  });

  it('names per-model key limits, parallel limits and end users as configured', () => {
    const model = rateLimitError({ admitted: false, scope: 'key_model', subject: 'my-key', model: 'gpt-4o', limit: 'tpm', limitValue: 1000, retryAfterSeconds: 3 });
    expect(model.message).toBe('Rate limit reached for key my-key on model gpt-4o: model_tpm_limit 1000. Retry after 3 s.');
    const parallel = rateLimitError({ admitted: false, scope: 'end_user', subject: 'c-9', limit: 'parallel', limitValue: 2, retryAfterSeconds: 1 });
    expect(parallel.message).toBe('Rate limit reached for end user c-9: max_parallel_requests 2. Retry after 1 s.');
  });
});
