import { countTextTokens, type EncodingName } from './encodings';

/**
 * Characters of one response's texts that are tokenized; the rest is estimated. Tokenizing costs up to a few
 * microseconds per character of unusual text (random strings, symbols) on the event loop, so an unbounded
 * count would let one large prompt stall every request in flight. 50,000 characters is about 12,000 tokens
 * of English, counted in about 10 ms.
 */
export const EXACT_TOKEN_COUNT_CHARS = 50_000;

/** The usual characters per token of English text, for an estimate made before anything was counted. */
const CHARS_PER_TOKEN = 4;

/**
 * Counts the tokens of the texts of one request or response. Texts are tokenized exactly until
 * `exactChars` characters have been read in all; past that, the tokens of the remaining characters are
 * estimated at the rate of tokens per character measured on what was counted.
 */
export class TextTokenCounter {
  private left: number;
  private countedChars = 0;
  private countedTokens = 0;

  constructor(
    private readonly encoding: EncodingName,
    exactChars = EXACT_TOKEN_COUNT_CHARS,
  ) {
    this.left = exactChars;
  }

  readonly count = (text: string): number => {
    if (!text) return 0;
    const exact = Math.min(text.length, this.left);
    const tokens = exact > 0 ? countTextTokens(exact === text.length ? text : text.slice(0, exact), this.encoding) : 0;
    this.left -= exact;
    this.countedChars += exact;
    this.countedTokens += tokens;
    if (exact === text.length) return tokens;
    const perChar = this.countedChars > 0 ? this.countedTokens / this.countedChars : 1 / CHARS_PER_TOKEN;
    return tokens + Math.ceil((text.length - exact) * perChar);
  };
}
