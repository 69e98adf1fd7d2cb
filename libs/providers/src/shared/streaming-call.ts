import type { Dispatcher } from 'undici';
import type { CancelSignal } from '@tollgate/common';
import { headersObject } from './buffered-call';
import { abortedError, dispatchCall, SignalledHandler, type UpstreamCallOptions } from './signalled-handler';

/** Response headers by lower-case name; a repeated header is an array. */
export type UpstreamHeaders = Record<string, string | string[] | undefined>;

/** An upstream response body as the relays read it: its chunks in arrival order, and a way to stop early. */
export interface UpstreamBody extends AsyncIterable<Buffer> {
  /** Stops reading: the upstream request is aborted if it has not finished, and nothing more is yielded. */
  destroy(): void;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: UpstreamHeaders;
  body: UpstreamBody;
}

/**
 * How many body bytes may wait for the reader before the upstream socket is paused: undici's Readable's own
 * default, so a slow caller holds the upstream back instead of the gateway buffering a whole stream.
 */
export const STREAM_HIGH_WATER_MARK = 64 * 1024;

/**
 * Sends one request through `dispatcher` and resolves once the response headers are in, with a body that
 * yields chunks as they arrive. It is undici's `request()` without its Readable: no stream state, async
 * iterator, end-of-stream listeners or async resource per call, which for a streamed completion cost more
 * CPU and garbage than the relaying itself (see bench/README.md, "Streams without undici's Readable").
 * `signal` aborting before the headers rejects; after them, it aborts the upstream and the body's reader
 * gets the error, as with undici's `request()` (`RequestAbortedError`), so callers tell a deadline from a
 * disconnect by their signal either way.
 */
export function streamingCall(dispatcher: Dispatcher, options: UpstreamCallOptions, signal: CancelSignal): Promise<UpstreamResponse> {
  return dispatchCall<UpstreamResponse>(dispatcher, options, signal, ({ resolve, reject }) => new StreamingHandler(signal, resolve, reject));
}

/**
 * undici's handler interface (see BufferingHandler) that hands the response over at its headers and then
 * queues body chunks for one reader. Returning false from onData pauses the socket; the reader resumes it
 * once it has taken the queue.
 */
class StreamingHandler extends SignalledHandler implements UpstreamBody {
  private resumeUpstream: (() => void) | undefined;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private paused = false;
  /** The response arrived (the call's promise is resolved); errors go to the reader from then on. */
  private answered = false;
  /** Nothing more will arrive: complete, failed or destroyed. */
  private ended = false;
  private destroyed = false;
  private failure: Error | undefined;
  private wakeReader: (() => void) | undefined;

  constructor(
    signal: CancelSignal,
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {
    super(signal);
  }

  protected aborted(): void {
    this.fail(abortedError(), true);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: the real status follows
    this.answered = true;
    this.resumeUpstream = resume;
    this.resolve({ statusCode, headers: headersObject(rawHeaders), body: this });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.ended) return true;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    this.wake();
    this.paused = this.queuedBytes >= STREAM_HIGH_WATER_MARK;
    return !this.paused;
  }

  onComplete(): void {
    if (this.ended) return;
    this.end();
    this.wake();
  }

  onError(error: Error): void {
    this.fail(error, false);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.ended) return;
    this.end();
    this.abortUpstream?.(abortedError());
    this.wake();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: () => this.next(),
      // A reader leaving its loop early (break, return, throw) stops the upstream too.
      return: async () => {
        this.destroy();
        return { value: undefined, done: true };
      },
    };
  }

  /** Everything queued so far as one chunk, or the end, or waits for either. */
  private async next(): Promise<IteratorResult<Buffer>> {
    for (;;) {
      if (this.queue.length > 0) {
        const chunk = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue, this.queuedBytes);
        this.queue = [];
        this.queuedBytes = 0;
        if (this.paused) {
          this.paused = false;
          if (!this.ended) this.resumeUpstream?.();
        }
        return { value: chunk, done: false };
      }
      if (this.failure && !this.destroyed) throw this.failure;
      if (this.ended) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }

  /** `abortUpstream`: the failure is ours (the signal), so undici must stop the request; else it reported it. */
  private fail(error: Error, abortUpstream: boolean): void {
    if (this.ended) return;
    this.failure = error;
    this.end();
    if (abortUpstream) this.abortUpstream?.(error);
    if (this.answered) this.wake();
    else this.reject(error);
  }

  private end(): void {
    this.ended = true;
    this.stopListening();
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = undefined;
    wake?.();
  }
}
