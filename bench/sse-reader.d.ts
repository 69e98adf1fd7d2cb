// Types for sse-reader.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export class SseReader {
  /** Chunks whose first choice carried non-empty `delta.content`. */
  contentChunks: number;
  /** performance.now() when the first content delta was read, or null. */
  firstContentAt: number | null;
  /** True once `data: [DONE]` was read. */
  done: boolean;
  /** Message of an `{"error": ...}` event or of unparsable data, or null. */
  error: string | null;
  push(bytes: Uint8Array): void;
  end(): void;
}
