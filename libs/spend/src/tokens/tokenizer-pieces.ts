/**
 * The longest piece of text handed to the tokenizer at once. Byte-pair encoding costs grow with the square of
 * a pre-token's length, and a pre-token can be as long as the text (a run of spaces, of one letter, of
 * punctuation): 200,000 spaces took 18 s in one call, so a caller could freeze the gateway with one prompt.
 * Cut into pieces of this size, the same text takes milliseconds.
 */
export const MAX_TOKENIZER_PIECE = 512;

const SPACE = 0x20;

function isWhitespace(code: number): boolean {
  return code === SPACE || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x85 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x3000 || code === 0x1680 || code === 0x202f || code === 0x205f;
}

const LETTER = /\p{L}/u;

function isLetterAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return true;
  return code >= 0x80 && LETTER.test(String.fromCodePoint(text.codePointAt(at) as number));
}

/**
 * Where the text may be cut without changing its tokens:
 * - at a single space between a non-space character and a letter (" word"): the OpenAI encodings'
 *   pre-tokenizers never join a non-space character to the space after it, and start a new pre-token with a
 *   space that precedes a letter;
 * - right after a line break followed by a non-space character: a pre-token may end with line breaks but
 *   never goes on past one into a non-space character.
 * The tokens on either side of such a cut are the ones of the whole text.
 */
function isExactCut(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const here = text.charCodeAt(at);
  const before = text.charCodeAt(at - 1);
  if (here === SPACE) return !isWhitespace(before) && isLetterAt(text, at + 1);
  return (before === 0x0a || before === 0x0d) && !isWhitespace(here);
}

/**
 * The pieces `text` is tokenized in, each at most `max` characters. Ordinary text is cut only where the cut
 * changes no token, so counting the pieces gives the count of the whole. A stretch with no such place within
 * `max` characters (one enormous word, a run of spaces or symbols) is cut at `max`, off by about one token per
 * cut, never inside a surrogate pair.
 */
export function* tokenizerPieces(text: string, max = MAX_TOKENIZER_PIECE): Generator<string> {
  let start = 0;
  while (text.length - start > max) {
    let cut = start + max;
    while (cut > start && !isExactCut(text, cut)) cut--;
    if (cut === start) {
      cut = start + max;
      const code = text.charCodeAt(cut);
      if (code >= 0xdc00 && code <= 0xdfff) cut--;
    }
    yield text.slice(start, cut);
    start = cut;
  }
  if (start < text.length) yield text.slice(start);
}
