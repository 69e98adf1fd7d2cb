import { randomUUID } from 'node:crypto';

const CALLER_CALL_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The caller's `x-litellm-call-id` when it is a safe identifier (it becomes a queue job id), else a new UUID. */
export function callIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && CALLER_CALL_ID.test(value) ? value : randomUUID();
}
