/**
 * Thrown when the shared store cannot be reached (connection refused, dropped, timed out, or the store was
 * closed). Callers on the request path can catch this one type to decide whether to fail open or closed,
 * while data errors (for example incrementing a non-numeric value) keep their own types.
 */
export class KeyValueStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyValueStoreUnavailableError';
  }
}
