import { CancelSource, clientClosed, GatewayError, type CancelSignal } from '@tollgate/common';
import type { Deployment } from '../provider.types';

/**
 * One abort signal for an upstream call that fires when the caller disconnects or when a deadline passes,
 * and remembers which of the two happened so the failure can be reported correctly (499 vs 504).
 */
export class Deadline {
  private readonly controller = new CancelSource();
  private timer: NodeJS.Timeout | undefined;
  private expired = false;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(private readonly callerSignal: CancelSignal) {
    if (callerSignal.aborted) this.controller.abort();
    else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): CancelSignal {
    return this.controller.signal;
  }

  private armedMs: number | undefined;

  /** (Re)arms the deadline to fire `ms` from now. */
  arm(ms: number): void {
    // Streams re-arm on every chunk: restarting the same timer is far cheaper than a new one each time.
    if (this.timer && this.armedMs === ms) {
      this.timer.refresh();
      return;
    }
    this.disarm();
    this.armedMs = ms;
    this.timer = setTimeout(() => {
      // Already aborted (caller gone or cancelled): that, not this deadline, is what happened.
      if (this.controller.signal.aborted) return;
      this.expired = true;
      this.controller.abort();
    }, ms);
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disarm();
    this.callerSignal.removeEventListener('abort', this.onCallerAbort);
  }

  /** Aborts the upstream call now (the caller stopped reading, or we finished early). */
  cancel(): void {
    this.controller.abort();
  }

  /** The error to report for an aborted call. */
  abortError(deployment: Deployment, what: string, ms: number): GatewayError {
    if (!this.expired) return clientClosed();
    return new GatewayError(
      504,
      'timeout',
      `Deployment "${deployment.modelName}" (id ${deployment.id}, provider ${deployment.provider}) did not ${what} within ${ms} ms.`,
      { code: 'timeout' },
    );
  }

  get timedOut(): boolean {
    return this.expired;
  }
}
