import { describe, expect, it } from 'vitest';
import { groupMissError } from './group-resolution';

describe('groupMissError', () => {
  it('answers an unknown model with a 400 model_not_found naming the model param', () => {
    const error = groupMissError({ ok: false, kind: 'unknown_model', requested: 'x', message: 'model "x" is not served' });
    expect(error.status).toBe(400);
    expect(error.toBody()).toEqual({ error: { message: 'model "x" is not served', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
  });

  it("answers a tag miss with LiteLLM's 401 no_deployments_with_tag_routing", () => {
    const error = groupMissError({ ok: false, kind: 'no_tag_match', requested: 'g', group: 'g', tags: ['t'], message: 'no tag' });
    expect(error.status).toBe(401);
    expect(error.toBody().error).toMatchObject({ type: 'authentication_error', code: 'no_deployments_with_tag_routing', message: 'no tag' });
  });

  it("answers a prompt too long for every deployment with OpenAI's 400 context_length_exceeded", () => {
    const error = groupMissError({
      ok: false,
      kind: 'context_window_exceeded',
      requested: 'g',
      group: 'g',
      inputTokens: 10,
      largestContextWindow: 5,
      message: 'too long',
    });
    expect(error.status).toBe(400);
    expect(error.toBody().error).toEqual({ message: 'too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' });
  });
});
