import { randomUUID } from 'node:crypto';

const CALLER_CALL_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A new call id. Always the gateway's own: a caller-chosen id could collide with another request's log row. */
export function newCallId(): string {
  return randomUUID();
}

/** The caller's `x-litellm-call-id` when it is a safe identifier (kept as the log's client call id), else undefined. */
export function clientCallIdFrom(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value && CALLER_CALL_ID.test(value) ? value : undefined;
}
