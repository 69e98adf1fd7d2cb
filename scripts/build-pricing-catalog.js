#!/usr/bin/env node
// Regenerates Tollgate's pricing catalog (libs/spend/src/catalog/pricing-catalog.data.ts) from a LiteLLM-style
// model price table: takes the public figures, keeps only the providers Tollgate calls, and writes them in
// Tollgate's own format (keys `<provider>/<model>`, prices per million tokens as decimal strings).
//
//   node scripts/build-pricing-catalog.js [reference.json] [--as-of YYYY-MM-DD]
//
// The reference path defaults to ../shared/reference/litellm-model-prices.json (relative to the repo root).
// Models whose deprecation date is before --as-of (default: today) are left out.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outFile = path.join(root, 'libs', 'spend', 'src', 'catalog', 'pricing-catalog.data.ts');

// LiteLLM's `litellm_provider` values -> the model-string prefix Tollgate's provider registry uses.
// Providers absent here (text-completion-openai, codestral, bedrock_mantle, ...) have no Tollgate adapter.
const PROVIDER_PREFIX = {
  openai: 'openai',
  azure: 'azure',
  azure_ai: 'azure_ai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  vertex_ai: 'vertex_ai',
  'vertex_ai-language-models': 'vertex_ai',
  'vertex_ai-embedding-models': 'vertex_ai',
  'vertex_ai-anthropic_models': 'vertex_ai',
  'vertex_ai-mistral_models': 'vertex_ai',
  'vertex_ai-llama_models': 'vertex_ai',
  'vertex_ai-deepseek_models': 'vertex_ai',
  'vertex_ai-ai21_models': 'vertex_ai',
  'vertex_ai-qwen_models': 'vertex_ai',
  'vertex_ai-openai_models': 'vertex_ai',
  'vertex_ai-minimax_models': 'vertex_ai',
  'vertex_ai-moonshot_models': 'vertex_ai',
  'vertex_ai-zai_models': 'vertex_ai',
  bedrock: 'bedrock',
  bedrock_converse: 'bedrock',
  cohere: 'cohere',
  cohere_chat: 'cohere',
  mistral: 'mistral',
  groq: 'groq',
  together_ai: 'together_ai',
  fireworks_ai: 'fireworks_ai',
  'fireworks_ai-embedding-models': 'fireworks_ai',
  deepseek: 'deepseek',
  xai: 'xai',
  perplexity: 'perplexity',
  openrouter: 'openrouter',
  cerebras: 'cerebras',
  nvidia_nim: 'nvidia_nim',
  ollama: 'ollama',
  hosted_vllm: 'hosted_vllm',
  huggingface: 'huggingface',
  lm_studio: 'lm_studio',
};

// `responses` models (o1-pro, ...) are billed per token like chat ones; other modes are not served yet.
const MODES = { chat: 'chat', responses: 'chat', embedding: 'embedding' };

// Per-token USD fields -> catalog field holding USD per million tokens.
const PER_TOKEN_FIELDS = [
  ['input_cost_per_token', 'input'],
  ['output_cost_per_token', 'output'],
  ['cache_read_input_token_cost', 'cache_read'],
  ['cache_creation_input_token_cost', 'cache_write'],
  ['output_cost_per_reasoning_token', 'reasoning'],
];
// Per-unit USD fields, kept per unit.
const PER_UNIT_FIELDS = [
  ['input_cost_per_image', 'input_per_image'],
  ['output_cost_per_image', 'output_per_image'],
  ['input_cost_per_second', 'input_per_second'],
  ['output_cost_per_second', 'output_per_second'],
];

/**
 * A float from the table as an exact decimal string scaled by 10^shift. JavaScript's shortest round-trip
 * representation is the figure the table's authors wrote; figures carrying binary noise
 * (0.0000029999900000000002) are rounded to 12 significant digits first.
 */
function decimalString(value, shift) {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(value));
  if (!match) throw new Error(`not a non-negative number: ${value}`);
  const fraction = match[2] ?? '';
  let digits = (match[1] + fraction).replace(/^0+/, '') || '0';
  let exponent = Number(match[3] ?? 0) - fraction.length + shift;
  if (digits.length > 15) {
    const cut = digits.length - 12;
    const kept = BigInt(digits.slice(0, 12)) + (Number(digits[12]) >= 5 ? 1n : 0n);
    digits = kept.toString();
    exponent += cut;
  }
  digits = digits.replace(/0+$/, (zeros) => { exponent += zeros.length; return ''; }) || '0';
  if (digits === '0') return '0';
  if (exponent >= 0) return digits + '0'.repeat(exponent);
  const padded = digits.padStart(-exponent + 1, '0');
  return `${padded.slice(0, exponent)}.${padded.slice(exponent)}`;
}

/** The model part of a LiteLLM key: without its provider prefix, or undefined for keys that are not models. */
function modelName(key, litellmProvider, prefix) {
  let model = key;
  for (const candidate of [`${litellmProvider}/`, `${prefix}/`]) {
    if (model.startsWith(candidate)) { model = model.slice(candidate.length); break; }
  }
  // Size tiers (`fireworks-ai-default`, `together-ai-4.1b-8b`) price unknown models, not a model of their own.
  if (/^(fireworks-ai|together-ai)-/.test(model)) return undefined;
  // Region- or commitment-scoped Bedrock prices (`us-east-1/...`) are not model ids.
  if (prefix === 'bedrock' && model.includes('/')) return undefined;
  return model;
}

function entryFor(spec, mode) {
  const entry = { mode };
  for (const [from, to] of PER_TOKEN_FIELDS) {
    if (typeof spec[from] === 'number') entry[to] = decimalString(spec[from], 6);
  }
  if (entry.reasoning !== undefined && entry.reasoning === entry.output) delete entry.reasoning;
  for (const [from, to] of PER_UNIT_FIELDS) {
    if (typeof spec[from] === 'number') entry[to] = decimalString(spec[from], 0);
  }
  const maxInput = spec.max_input_tokens ?? (mode === 'embedding' ? spec.max_tokens : undefined);
  if (Number.isInteger(maxInput)) entry.max_input_tokens = maxInput;
  const maxOutput = spec.max_output_tokens ?? (mode === 'chat' ? spec.max_tokens : undefined);
  if (Number.isInteger(maxOutput) && mode === 'chat') entry.max_output_tokens = maxOutput;
  return entry;
}

function hasPrice(entry) {
  return Object.keys(entry).some((field) => field !== 'mode' && !field.startsWith('max_'));
}

function buildCatalog(reference, asOf) {
  const models = {};
  const explicitKey = new Set();
  for (const [key, spec] of Object.entries(reference)) {
    if (!spec || typeof spec !== 'object') continue;
    const prefix = PROVIDER_PREFIX[spec.litellm_provider];
    const mode = MODES[spec.mode];
    if (!prefix || !mode) continue;
    if (typeof spec.deprecation_date === 'string' && spec.deprecation_date < asOf) continue;
    const model = modelName(key, spec.litellm_provider, prefix);
    if (!model) continue;
    const entry = entryFor(spec, mode);
    if (!hasPrice(entry)) continue;
    const catalogKey = `${prefix}/${model}`;
    // `deepseek/deepseek-chat` and a bare `deepseek-chat` name the same model: the prefixed entry wins.
    const prefixed = key.startsWith(`${prefix}/`) || key.startsWith(`${spec.litellm_provider}/`);
    if (models[catalogKey] && explicitKey.has(catalogKey) && !prefixed) continue;
    models[catalogKey] = entry;
    if (prefixed) explicitKey.add(catalogKey);
  }
  return Object.fromEntries(Object.entries(models).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function render(models, asOf) {
  const lines = Object.entries(models).map(([key, entry]) => `  ${JSON.stringify(key)}: ${JSON.stringify(entry)},`);
  return [
    '// Generated by scripts/build-pricing-catalog.js: do not edit by hand, rerun the script.',
    `// Public list prices as of ${asOf}. Token prices are USD per million tokens; *_per_image and *_per_second`,
    '// are USD per unit. Keys are Tollgate model strings (`<provider>/<model>`).',
    "import type { CatalogEntry } from './catalog-entry';",
    '',
    'export const PRICING_CATALOG_DATA: Readonly<Record<string, CatalogEntry>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

function main() {
  const args = process.argv.slice(2);
  const asOfIndex = args.indexOf('--as-of');
  const asOf = asOfIndex >= 0 ? args.splice(asOfIndex, 2)[1] : new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf ?? '')) throw new Error('--as-of needs a date as YYYY-MM-DD');
  const source = path.resolve(root, args[0] ?? '../shared/reference/litellm-model-prices.json');
  const models = buildCatalog(JSON.parse(fs.readFileSync(source, 'utf8')), asOf);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const text = render(models, asOf);
  fs.writeFileSync(outFile, text);
  process.stdout.write(`${Object.keys(models).length} models, ${text.length} bytes -> ${path.relative(root, outFile)}\n`);
}

if (require.main === module) main();

module.exports = { decimalString, buildCatalog };
