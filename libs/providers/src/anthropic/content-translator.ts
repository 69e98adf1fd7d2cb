import { badRequest } from '@tollgate/common';
import type { AnthropicContentBlock } from './anthropic.types';

/**
 * OpenAI content parts to Anthropic content blocks: text, images (base64 data URLs and http(s) URLs) and
 * files (PDF / plain-text documents). `cache_control` on a part stays on its block. Parts that are already
 * Anthropic blocks (`image` with a `source`, `document`, ...) pass through unchanged.
 */
export function toContentBlocks(content: unknown, path: string): AnthropicContentBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`"${path}" must be a string or an array of content parts.`, path, 'invalid_type');
  return content.map((part, i) => toContentBlock(part, `${path}[${i}]`));
}

function toContentBlock(part: unknown, path: string): AnthropicContentBlock {
  if (part === null || typeof part !== 'object' || typeof (part as { type?: unknown }).type !== 'string') {
    throw badRequest(`"${path}" must be a content part object with a "type".`, path, 'invalid_type');
  }
  const p = part as Record<string, unknown> & { type: string };
  switch (p.type) {
    case 'text':
      return withCacheControl({ type: 'text', text: typeof p.text === 'string' ? p.text : '' }, p.cache_control);
    case 'image_url':
      return withCacheControl(imageBlock(p.image_url, `${path}.image_url`), p.cache_control);
    case 'file':
      return withCacheControl(fileBlock(p.file, `${path}.file`), p.cache_control);
    case 'input_audio':
      throw badRequest(`anthropic does not support audio input ("${path}" is an input_audio part).`, path, 'unsupported_content');
    default:
      return p;
  }
}

/** `cache_control` copied onto a block when the OpenAI part (or message) carried one. */
export function withCacheControl(block: AnthropicContentBlock, cacheControl: unknown): AnthropicContentBlock {
  return cacheControl === undefined || cacheControl === null ? block : Object.assign({}, block, { cache_control: cacheControl });
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,]+)*?);base64,(.*)$/s;

function imageBlock(imageUrl: unknown, path: string): AnthropicContentBlock {
  const url = typeof imageUrl === 'string' ? imageUrl : (imageUrl as { url?: unknown } | null)?.url;
  if (typeof url !== 'string' || url === '') throw badRequest(`"${path}.url" must be a data URL or an http(s) URL.`, path, 'invalid_type');
  if (url.startsWith('data:')) {
    const match = DATA_URL.exec(url);
    if (!match) throw badRequest(`"${path}.url" is a data URL without base64 data; anthropic needs "data:<media type>;base64,<data>".`, path, 'invalid_image_url');
    return { type: 'image', source: { type: 'base64', media_type: match[1], data: match[3] } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw badRequest(`"${path}.url" must be a data URL or an http(s) URL.`, path, 'invalid_image_url');
}

/** OpenAI `file` parts: inline base64 data (`file_data`) or an uploaded file (`file_id`, Anthropic's Files API). */
function fileBlock(file: unknown, path: string): AnthropicContentBlock {
  const f = (file ?? {}) as { file_data?: unknown; file_id?: unknown; filename?: unknown };
  const title = typeof f.filename === 'string' ? { title: f.filename } : {};
  if (typeof f.file_id === 'string') return { type: 'document', source: { type: 'file', file_id: f.file_id }, ...title };
  const match = typeof f.file_data === 'string' ? DATA_URL.exec(f.file_data) : null;
  if (!match) throw badRequest(`"${path}" needs "file_id" or "file_data" as "data:<media type>;base64,<data>".`, path, 'invalid_file');
  const [, mediaType, , data] = match;
  if (mediaType.startsWith('image/')) return { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
  if (mediaType === 'text/plain') {
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(data, 'base64').toString('utf8') }, ...title };
  }
  return { type: 'document', source: { type: 'base64', media_type: mediaType, data }, ...title };
}
