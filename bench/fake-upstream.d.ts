// Types for fake-upstream.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export interface FakeUpstreamOptions {
  port?: number;
  host?: string;
  /** Delay before each answer, after the request body has been read. */
  latencyMs?: number;
  /**
   * Content chunks per answer (besides the role, finish and usage chunks). A request may ask for another
   * count, 1 to 1,000,000, with the body field `bench_chunks` (which wins) or the header `x-bench-chunks`.
   */
  chunks?: number;
  /** Spacing between streamed events; 0 writes the whole stream at once. */
  chunkIntervalMs?: number;
  /** Larger request bodies get a 413; default 64 MiB. */
  maxBodyBytes?: number;
}

export interface FakeUpstream {
  url: string;
  port: number;
  /** The assistant text every completion returns and every stream's deltas join to. */
  content: string;
  stats(): { chatRequests: number };
  close(): Promise<void>;
}

export function startFakeUpstream(options?: FakeUpstreamOptions): Promise<FakeUpstream>;
export function contentPieces(chunks: number): string[];
