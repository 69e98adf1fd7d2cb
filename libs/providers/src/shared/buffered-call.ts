import type { Dispatcher } from 'undici';
import type { CancelSignal } from '@tollgate/common';
import { abortedError, dispatchCall, SignalledHandler, type UpstreamCallOptions } from './signalled-handler';

/** A whole upstream response, read into memory. */
export interface BufferedResponse {
  statusCode: number;
  /** Name/value pairs as received (names in their original case). */
  rawHeaders: Buffer[];
  body: Buffer;
}

/**
 * Sends one request through `dispatcher` and reads its whole response into one Buffer, without undici's
 * `request()` layer: that layer gives every response a Readable stream, parses every header into an object
 * and consumes the stream through promises, which for a small JSON answer cost more than the answer itself.
 * `signal` aborting ends the call with an error (the caller tells a deadline from a disconnect by the signal).
 */
export function bufferedCall(dispatcher: Dispatcher, options: UpstreamCallOptions, signal: CancelSignal): Promise<BufferedResponse> {
  return dispatchCall<BufferedResponse>(dispatcher, options, signal, ({ resolve, reject }) => new BufferingHandler(signal, resolve, reject));
}

/**
 * undici's handler interface of onConnect/onHeaders/onData/onComplete/onError, which its clients call
 * directly (the newer onRequestStart family is adapted to it by a wrapper that parses every header).
 */
class BufferingHandler extends SignalledHandler {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private settled = false;

  constructor(
    signal: CancelSignal,
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {
    super(signal);
  }

  // undici answers the abort with onError, which settles the call.
  protected aborted(): void {
    this.abortUpstream?.(abortedError());
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true; // 1xx: the real status follows
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.finish()) return;
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    this.resolve({ statusCode: this.statusCode, rawHeaders: this.rawHeaders, body });
  }

  onError(error: Error): void {
    if (this.finish()) return;
    this.reject(error);
  }

  /** True when the call had already ended. */
  private finish(): boolean {
    if (this.settled) return true;
    this.settled = true;
    this.stopListening();
    return false;
  }
}

/** Response headers as an object of lower-case names, as undici's `request()` gives them (repeats as arrays). */
export function headersObject(rawHeaders: readonly Buffer[]): Record<string, string | string[]> {
  // No prototype: a header named __proto__ is then just a header.
  const headers: Record<string, string | string[]> = Object.create(null);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toString('latin1').toLowerCase();
    const value = rawHeaders[i + 1].toString('latin1');
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
  }
  return headers;
}
