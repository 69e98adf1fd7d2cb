import { errors, type Dispatcher } from 'undici';
import type { CancelSignal } from '@tollgate/common';

/** The error undici's request() gives an aborted call, so callers see the same from every upstream call. */
export function abortedError(): Error {
  return new errors.RequestAbortedError();
}

/** One upstream request as our dispatch handlers send it. */
export interface UpstreamCallOptions {
  origin: string;
  path: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string | Buffer;
}

type Settle<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

/**
 * Sends one request through `dispatcher` with the handler `handlerFor` makes, which settles the returned
 * promise; a signal that has already fired sends nothing.
 */
export function dispatchCall<T>(
  dispatcher: Dispatcher,
  options: UpstreamCallOptions,
  signal: CancelSignal,
  handlerFor: (settle: Settle<T>) => SignalledHandler & { onError(error: Error): void },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortedError());
      return;
    }
    const handler = handlerFor({ resolve, reject });
    try {
      const request = { origin: options.origin, path: options.path, method: options.method, headers: options.headers, body: options.body };
      dispatcher.dispatch(request, handler as unknown as Dispatcher.DispatchHandler);
    } catch (error) {
      handler.onError(error as Error);
    }
  });
}

/**
 * What every undici dispatch handler of ours shares: it listens to the call's signal until the call ends,
 * and keeps the abort function undici hands it on connecting, so the signal can stop the request.
 */
export abstract class SignalledHandler {
  protected abortUpstream: ((error: Error) => void) | undefined;
  private readonly onAbort = () => this.aborted();

  constructor(protected readonly signal: CancelSignal) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  // Called again if undici retries the request on another socket; the latest abort is the one that counts.
  onConnect(abort: (error: Error) => void): void {
    if (this.signal.aborted) abort(abortedError());
    else this.abortUpstream = abort;
  }

  /** The signal fired while the call was running. */
  protected abstract aborted(): void;

  /** The call has ended: the signal no longer concerns it. */
  protected stopListening(): void {
    this.signal.removeEventListener('abort', this.onAbort);
  }
}
