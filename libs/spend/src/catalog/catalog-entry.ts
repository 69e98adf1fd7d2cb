/**
 * One model in Tollgate's pricing catalog file (`pricing-catalog.data.ts`). Prices are decimal strings so the
 * file carries the published figures exactly; token prices are USD per million tokens, unit prices USD per
 * image or per second.
 */
export interface CatalogEntry {
  mode: 'chat' | 'embedding' | 'image_generation' | 'audio_transcription' | 'audio_speech' | 'rerank';
  /** Prompt tokens not read from or written to a cache. */
  input?: string;
  output?: string;
  /** Prompt tokens read from the provider's prompt cache; the input price when absent. */
  cache_read?: string;
  /** Prompt tokens written to the provider's prompt cache; the input price when absent. */
  cache_write?: string;
  /** Reasoning tokens, only where they differ from the output price. */
  reasoning?: string;
  input_per_image?: string;
  output_per_image?: string;
  input_per_second?: string;
  output_per_second?: string;
  /** Context window. */
  max_input_tokens?: number;
  max_output_tokens?: number;
}
