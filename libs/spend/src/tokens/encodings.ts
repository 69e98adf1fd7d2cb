import { MAX_TOKENIZER_PIECE, tokenizerPieces } from './tokenizer-pieces';

/** The OpenAI byte-pair encodings Tollgate counts with. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/** The part of a gpt-tokenizer encoding module this file uses. */
interface Encoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

/**
 * Model families OpenAI tokenizes with o200k_base (gpt-4o, gpt-4.1, gpt-4.5, gpt-5, the o-series, gpt-oss and
 * their audio/realtime/codex variants), matched on the model's own name (fine-tune and route prefixes removed).
 */
const O200K_MODELS = /^(?:chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|gpt-realtime|gpt-audio|codex-|o[1-9](?:-|$))/;

/**
 * The encoding used to count a model's tokens: o200k_base for OpenAI's current families, cl100k_base for older
 * OpenAI models and for every other provider's models. For non-OpenAI models this is an approximation: their
 * own tokenizers are not public or not bundled, and cl100k_base is within a few percent for English text.
 */
export function encodingForModel(model: string): EncodingName {
  const name = model.trim().toLowerCase().replace(/^ft:/, '').split('/').pop() ?? '';
  return O200K_MODELS.test(name.replace(/^openai\./, '')) ? 'o200k_base' : 'cl100k_base';
}

/** What a deployment says about its model: `base_model` (model_info or litellm_params) wins over the upstream name. */
export interface TokenizedDeployment {
  upstreamModel: string;
  params?: Readonly<Record<string, unknown>>;
  modelInfo?: Readonly<Record<string, unknown>>;
}

/** The model name to pick an encoding by; an Azure deployment name says nothing, its `base_model` does. */
export function tokenizerModelOf(deployment: TokenizedDeployment): string {
  const base = deployment.modelInfo?.base_model ?? deployment.params?.base_model;
  return typeof base === 'string' && base.trim() ? base.trim() : deployment.upstreamModel;
}

/** Text that spells a special token (`<|endoftext|>`) is ordinary text to the API: count it as such, never refuse it. */
const ORDINARY_TEXT = { disallowedSpecial: new Set<string>() };

const loaded = new Map<EncodingName, Encoding>();

function encoding(name: EncodingName): Encoding {
  let found = loaded.get(name);
  if (!found) {
    // Required on first use, not imported: each encoding is megabytes of merge ranks (a few tenths of a
    // second and tens of MB to load), which a gateway whose upstreams always report usage never needs.
    found = (name === 'o200k_base' ? require('gpt-tokenizer/encoding/o200k_base') : require('gpt-tokenizer/encoding/cl100k_base')) as Encoding;
    loaded.set(name, found);
  }
  return found;
}

/** The number of tokens of `text` in `name`, counted in pieces (see tokenizerPieces: exact for ordinary text). */
export function countTextTokens(text: string, name: EncodingName): number {
  if (!text) return 0;
  const encoder = encoding(name);
  if (text.length <= MAX_TOKENIZER_PIECE) return encoder.countTokens(text, ORDINARY_TEXT);
  let tokens = 0;
  for (const piece of tokenizerPieces(text)) tokens += encoder.countTokens(piece, ORDINARY_TEXT);
  return tokens;
}

/** True once `name` was loaded in this process (for tests and diagnostics). */
export function isEncodingLoaded(name: EncodingName): boolean {
  return loaded.has(name);
}
