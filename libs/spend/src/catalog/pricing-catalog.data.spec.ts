import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { providerNames } from '@tollgate/providers';
import { describe, expect, it } from 'vitest';
import { PRICING_CATALOG_DATA } from './pricing-catalog.data';

const repoRoot = resolve(__dirname, '../../../..');
const DECIMAL = /^(0|[1-9]\d*)(\.\d*[1-9])?$/;
const PRICE_FIELDS = ['input', 'output', 'cache_read', 'cache_write', 'reasoning', 'input_per_image', 'output_per_image', 'input_per_second', 'output_per_second'];
const FIELDS = new Set([...PRICE_FIELDS, 'mode', 'max_input_tokens', 'max_output_tokens']);

describe('the bundled pricing catalog', () => {
  const entries = Object.entries(PRICING_CATALOG_DATA);

  it('covers at least 300 models across the main providers', () => {
    expect(entries.length).toBeGreaterThanOrEqual(300);
    const providers = new Set(entries.map(([key]) => key.split('/')[0]));
    for (const expected of ['openai', 'azure', 'anthropic', 'gemini', 'vertex_ai', 'bedrock', 'mistral', 'groq', 'deepseek', 'xai']) {
      expect(providers).toContain(expected);
    }
  });

  it('keys every model by a provider Tollgate can call', () => {
    const known = new Set(providerNames());
    const unknown = entries.map(([key]) => key.split('/')[0]).filter((provider) => !known.has(provider));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it('holds well-formed entries: known fields, non-negative plain decimals, whole token limits', () => {
    for (const [key, entry] of entries) {
      expect(key, key).toMatch(/^[a-z_]+\/\S+$/);
      expect(['chat', 'embedding'], key).toContain(entry.mode);
      for (const [field, value] of Object.entries(entry)) {
        expect(FIELDS.has(field), `${key}.${field}`).toBe(true);
        if (PRICE_FIELDS.includes(field)) expect(value, `${key}.${field}`).toMatch(DECIMAL);
        if (field.startsWith('max_')) expect(Number.isInteger(value) && (value as number) > 0, `${key}.${field}`).toBe(true);
      }
      expect(PRICE_FIELDS.some((field) => field in entry), key).toBe(true);
    }
  });

  it('carries the published figures of well-known models', () => {
    expect(PRICING_CATALOG_DATA['openai/gpt-4o']).toMatchObject({ input: '2.5', output: '10', cache_read: '1.25', max_input_tokens: 128000 });
    expect(PRICING_CATALOG_DATA['anthropic/claude-sonnet-4-5']).toMatchObject({ input: '3', output: '15', cache_read: '0.3', cache_write: '3.75' });
    expect(PRICING_CATALOG_DATA['openai/text-embedding-3-small']).toMatchObject({ mode: 'embedding', input: '0.02' });
  });

  const reference = resolve(repoRoot, '../shared/reference/litellm-model-prices.json');
  it.skipIf(!existsSync(reference))('is what scripts/build-pricing-catalog.js generates from the reference table', () => {
    const script = createRequire(__filename)(join(repoRoot, 'scripts', 'build-pricing-catalog.js'));
    const file = readFileSync(join(__dirname, 'pricing-catalog.data.ts'), 'utf8');
    const asOf = /as of (\d{4}-\d{2}-\d{2})/.exec(file)?.[1];
    const generated = script.buildCatalog(JSON.parse(readFileSync(reference, 'utf8')), asOf);
    expect(generated).toEqual(PRICING_CATALOG_DATA);
  });
});
