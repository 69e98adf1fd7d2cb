/**
 * What Tollgate's calls need of a cancellation signal. A DOM `AbortSignal` has it, and so does `CancelSource`,
 * which the request path uses instead: on Node 20 every AbortSignal is an EventTarget whose prototype is swapped
 * after construction, and creating one, adding a listener and dropping it cost about 4-5 µs (measured), paid
 * twice per upstream call (the caller's signal and the call's deadline). undici accepts any object with
 * `aborted`, `reason` and `addEventListener`/`removeEventListener`.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

type Listener = () => void;

/**
 * A signal and its controller in one small object. Every listener runs at most once (abort happens once), in
 * the order added; a listener that throws is reported as an uncaught exception after the others ran, as an
 * EventTarget does.
 */
export class CancelSource implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  // Almost every signal has one or two listeners: the first lives in a field, the rest in an array made on demand.
  private first: Listener | undefined;
  private more: Listener[] | undefined;

  get signal(): CancelSignal {
    return this;
  }

  // `options` is accepted because callers (undici) pass `{ once: true }`; every listener here runs once anyway.
  addEventListener(type: 'abort', listener: Listener, _options?: { once?: boolean }): void {
    if (type !== 'abort' || this.aborted) return;
    if (this.first === listener || this.more?.includes(listener)) return;
    if (this.first === undefined) this.first = listener;
    else (this.more ??= []).push(listener);
  }

  removeEventListener(type: 'abort', listener: Listener): void {
    if (type !== 'abort') return;
    if (this.first === listener) {
      this.first = this.more?.shift();
      return;
    }
    const at = this.more?.indexOf(listener) ?? -1;
    if (at >= 0) this.more!.splice(at, 1);
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.first === undefined ? [] : [this.first, ...(this.more ?? [])];
    this.first = undefined;
    this.more = undefined;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** Waits `ms`, or less if `signal` aborts first (then resolves at once, without error). */
export function abortableSleep(ms: number, signal: CancelSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
