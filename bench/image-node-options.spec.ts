import { describe, expect, it } from 'vitest';
import { imageNodeOptions, readImageNodeOptions } from './image-node-options';

describe('imageNodeOptions', () => {
  it("reads NODE_OPTIONS from the last stage's ENV, across continued lines and beside other variables", () => {
    const dockerfile = [
      'FROM node:20 AS builder',
      'ENV NODE_OPTIONS=--max-old-space-size=4096',
      'FROM node:20 AS runtime',
      '# a comment',
      'ENV NODE_ENV=production \\',
      '    NODE_OPTIONS="--max-semi-space-size=32 --enable-source-maps" \\',
      '    PORT=4000',
      'CMD ["start"]',
    ].join('\n');
    expect(imageNodeOptions(dockerfile)).toBe('--max-semi-space-size=32 --enable-source-maps');
  });

  it('takes the last ENV that sets it, unquoted values included', () => {
    expect(imageNodeOptions('FROM a\nENV NODE_OPTIONS=--one\nENV NODE_OPTIONS=--two PORT=1\n')).toBe('--two');
  });

  it('is empty when the last stage sets none, even if an earlier stage did', () => {
    expect(imageNodeOptions('FROM a\nENV NODE_OPTIONS=--build-only\nFROM b\nENV PORT=4000\n')).toBe('');
  });

  it("finds the young-generation size in this repository's Dockerfile", () => {
    expect(readImageNodeOptions()).toContain('--max-semi-space-size=32');
  });
});
