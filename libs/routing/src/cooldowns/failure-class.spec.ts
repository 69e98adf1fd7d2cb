import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { failureClassOf } from './failure-class';

describe('failureClassOf', () => {
  it.each([
    [400, 'invalid_request_error', null, 'BadRequestError'],
    [400, 'invalid_request_error', 'context_length_exceeded', 'BadRequestError'],
    [400, 'invalid_request_error', 'content_policy_violation', 'ContentPolicyViolationError'],
    [400, 'invalid_request_error', 'content_filter', 'ContentPolicyViolationError'],
    [400, 'content_policy_violation', null, 'ContentPolicyViolationError'],
    [401, 'authentication_error', 'invalid_api_key', 'AuthenticationError'],
    [403, 'permission_error', null, 'AuthenticationError'],
    [404, 'not_found_error', 'model_not_found', 'BadRequestError'],
    [408, 'timeout', null, 'TimeoutError'],
    [413, 'invalid_request_error', null, 'BadRequestError'],
    [422, 'unprocessable_entity_error', null, 'BadRequestError'],
    [429, 'rate_limit_error', null, 'RateLimitError'],
    [500, 'api_error', null, 'InternalServerError'],
    [502, 'api_connection_error', 'upstream_unreachable', 'InternalServerError'],
    [503, 'service_unavailable_error', 'overloaded', 'InternalServerError'],
    [504, 'timeout', 'timeout', 'TimeoutError'],
    [500, 'timeout', null, 'TimeoutError'],
    [0, undefined, null, 'InternalServerError'],
  ] as const)('HTTP %i type %s code %s is a %s', (status, type, code, expected) => {
    expect(failureClassOf({ status, type, code })).toBe(expected);
  });

  it('reads GatewayErrors, including their code', () => {
    expect(failureClassOf(new GatewayError(504, 'timeout', 'did not answer', { code: 'timeout' }))).toBe('TimeoutError');
    expect(failureClassOf(new GatewayError(400, 'invalid_request_error', 'refused', { code: 'content_policy_violation' }))).toBe('ContentPolicyViolationError');
    expect(failureClassOf(new GatewayError(429, 'rate_limit_error', 'slow down'))).toBe('RateLimitError');
  });
});
