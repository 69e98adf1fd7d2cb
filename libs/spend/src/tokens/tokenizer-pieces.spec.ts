import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTextTokens, type EncodingName } from './encodings';
import { MAX_TOKENIZER_PIECE, tokenizerPieces } from './tokenizer-pieces';

const o200k = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(text: string, options: object): number };
const cl100k = require('gpt-tokenizer/encoding/cl100k_base') as { countTokens(text: string, options: object): number };
const ENCODERS: Record<EncodingName, typeof o200k> = { o200k_base: o200k, cl100k_base: cl100k };
const ORDINARY = { disallowedSpecial: new Set<string>() };

/** Ordinary text of many kinds: prose, code, markdown tables, numbers, non-Latin scripts, emoji. */
function ordinaryTexts(): string[] {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = ['the', 'Gateway', "don't", 'naïve', '東京', 'Ελληνικά', '😀', '12345', '3.14', '$100', '--flag', 'a_b', '(x)', '"quoted"', "it's", 'ÉCOLE', 'x\u0301'];
  const separators = [' ', ' ', ' ', '  ', '\n', '\n\n', '\t', ', ', '. ', ' - ', '\r\n'];
  const generated = Array.from({ length: 20 }, () =>
    Array.from({ length: 400 }, () => words[Math.floor(random() * words.length)] + separators[Math.floor(random() * separators.length)]).join(''),
  );
  return [readme, ...generated];
}

describe('tokenizerPieces', () => {
  it('cuts text into pieces of at most the given length that join back into it', () => {
    for (const text of [...ordinaryTexts(), ' '.repeat(5000), 'y'.repeat(3001), '😀'.repeat(1000)]) {
      const pieces = [...tokenizerPieces(text, 64)];
      expect(pieces.join('')).toBe(text);
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(64);
    }
  });

  it('never splits a surrogate pair when it has to cut a run', () => {
    for (const piece of tokenizerPieces('😀'.repeat(1000), 63)) expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('cuts ordinary text only where the tokens stay those of the whole text, with both encodings', () => {
    for (const name of ['o200k_base', 'cl100k_base'] as const) {
      for (const text of ordinaryTexts()) {
        const whole = ENCODERS[name].countTokens(text, ORDINARY);
        for (const max of [128, MAX_TOKENIZER_PIECE]) {
          let pieces = 0;
          for (const piece of tokenizerPieces(text, max)) pieces += ENCODERS[name].countTokens(piece, ORDINARY);
          expect(pieces, `${name}, pieces of ${max}: ${text.slice(0, 40)}`).toBe(whole);
        }
      }
    }
  });

  it('is what countTextTokens counts with: no piece of a long run reaches the tokenizer whole', () => {
    const seen: number[] = [];
    const original = o200k.countTokens;
    o200k.countTokens = (text: string, options: object) => {
      seen.push(text.length);
      return original.call(o200k, text, options);
    };
    try {
      const spaces = ' \n\t'.repeat(10_000);
      expect(countTextTokens(spaces, 'o200k_base')).toBeGreaterThan(0);
    } finally {
      o200k.countTokens = original;
    }
    expect(seen.length).toBeGreaterThanOrEqual(Math.ceil(30_000 / MAX_TOKENIZER_PIECE));
    expect(Math.max(...seen)).toBeLessThanOrEqual(MAX_TOKENIZER_PIECE);
  });
});
