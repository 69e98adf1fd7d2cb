import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allProviders } from './provider-registry';
import { providersMarkdownTable, withProvidersTable } from './providers-doc';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'providers.md');

describe('docs/providers.md', () => {
  it('has the provider table generated from the capabilities (run `npm run docs:providers` after changing a provider)', () => {
    const markdown = readFileSync(DOC, 'utf8');
    expect(withProvidersTable(markdown)).toBe(markdown);
  });

  it('lists every registered provider once', () => {
    const table = providersMarkdownTable();
    for (const provider of allProviders()) expect(table.split(`| \`${provider.name}\` |`)).toHaveLength(2);
  });
});
