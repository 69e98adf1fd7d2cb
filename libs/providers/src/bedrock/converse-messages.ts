import { badRequest } from '@tollgate/common';
import type { ChatMessage } from '../provider.types';

/** One Converse content block (`{text}`, `{image}`, `{toolUse}`, `{toolResult}`, `{cachePoint}`, ...). */
export type ConverseBlock = Record<string, unknown>;

export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ConverseBlock[];
}

type Part = Record<string, unknown>;

const CACHE_POINT: ConverseBlock = { cachePoint: { type: 'default' } };

const IMAGE_FORMATS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT_FORMATS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/markdown': 'md',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/** A `data:` URL's media type and base64 payload. */
function dataUrl(url: string): { mediaType: string; base64: string } | undefined {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) return undefined;
  const mediaType = match[1].toLowerCase();
  const isBase64 = match[2].split(';').includes('base64');
  return { mediaType, base64: isBase64 ? match[3] : Buffer.from(decodeURIComponent(match[3]), 'utf8').toString('base64') };
}

/**
 * An OpenAI `image_url` part as a Converse image block. Bedrock takes image bytes only; Tollgate does not
 * fetch http(s) URLs for it (that would make the gateway an open fetcher), so those are refused.
 */
function imageBlock(part: Part): ConverseBlock {
  const raw = part.image_url as { url?: unknown } | string | undefined;
  const url = typeof raw === 'string' ? raw : typeof raw?.url === 'string' ? raw.url : '';
  if (/^https?:/i.test(url)) {
    throw badRequest('Bedrock takes images as bytes and Tollgate does not fetch image URLs for it: send the image as a base64 data URL (data:image/png;base64,...).', 'messages');
  }
  const data = dataUrl(url);
  const format = data && IMAGE_FORMATS[data.mediaType];
  if (!data || !format) {
    throw badRequest(`Bedrock accepts png, jpeg, gif and webp images as data URLs; got ${data ? `"${data.mediaType}"` : 'an image_url that is not a data URL'}.`, 'messages');
  }
  return { image: { format, source: { bytes: data.base64 } } };
}

/** An OpenAI `file` part (`file_data` as a data URL) as a Converse document block. */
function documentBlock(part: Part, index: number): ConverseBlock {
  const file = (part.file ?? {}) as { file_data?: unknown; filename?: unknown };
  const data = typeof file.file_data === 'string' ? dataUrl(file.file_data) : undefined;
  const format = data && DOCUMENT_FORMATS[data.mediaType];
  if (!data || !format) throw badRequest('Bedrock accepts file parts as base64 data URLs (file.file_data) of pdf, csv, txt, html, md, doc(x) or xls(x) documents.', 'messages');
  // Bedrock document names allow letters, digits, single spaces, hyphens, parentheses and square brackets.
  const given = typeof file.filename === 'string' ? file.filename.replace(/\.[^.]*$/, '').replace(/[^\w\s\-()[\]]/g, ' ').replace(/\s+/g, ' ').trim() : '';
  return { document: { format, name: given || `document-${index + 1}`, source: { bytes: data.base64 } } };
}

function partsOf(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (Array.isArray(content)) return content as Part[];
  return [];
}

/** OpenAI content (a string or parts) as Converse blocks, with a cache point after each part marked `cache_control`. */
function contentBlocks(content: unknown, allowed: 'text' | 'any'): ConverseBlock[] {
  const blocks: ConverseBlock[] = [];
  partsOf(content).forEach((part, index) => {
    if (part.type === 'text') blocks.push({ text: typeof part.text === 'string' ? part.text : '' });
    else if (allowed === 'any' && part.type === 'image_url') blocks.push(imageBlock(part));
    else if (allowed === 'any' && part.type === 'file') blocks.push(documentBlock(part, index));
    else throw badRequest(`Bedrock does not support "${String(part.type)}" content parts here.`, 'messages');
    if (part.cache_control) blocks.push(CACHE_POINT);
  });
  return blocks;
}

function parseArguments(raw: unknown, name: string): unknown {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest(`The arguments of the earlier tool call "${name}" are not valid JSON; Bedrock needs them as an object.`, 'messages');
  }
}

function assistantBlocks(message: ChatMessage): ConverseBlock[] {
  const blocks: ConverseBlock[] = [];
  // Claude's extended thinking must come back (with its signature) when a tool-use turn continues.
  for (const block of (Array.isArray(message.thinking_blocks) ? message.thinking_blocks : []) as Part[]) {
    if (block.type === 'thinking') blocks.push({ reasoningContent: { reasoningText: { text: block.thinking, ...(block.signature ? { signature: block.signature } : {}) } } });
    else if (block.type === 'redacted_thinking') blocks.push({ reasoningContent: { redactedContent: block.data } });
  }
  for (const block of contentBlocks(message.content, 'text')) if (!('text' in block) || block.text !== '') blocks.push(block);
  for (const call of (Array.isArray(message.tool_calls) ? message.tool_calls : []) as Part[]) {
    const fn = (call.function ?? {}) as { name?: unknown; arguments?: unknown };
    const name = typeof fn.name === 'string' ? fn.name : '';
    blocks.push({ toolUse: { toolUseId: call.id, name, input: parseArguments(fn.arguments, name) } });
  }
  return blocks;
}

function toolResultBlock(message: ChatMessage): ConverseBlock {
  const content = partsOf(message.content).map((part) => {
    if (part.type === 'text') return { text: typeof part.text === 'string' ? part.text : '' };
    if (part.type === 'image_url') return imageBlock(part);
    throw badRequest(`Bedrock tool results take text and images, not "${String(part.type)}" parts.`, 'messages');
  });
  return { toolResult: { toolUseId: message.tool_call_id, content } };
}

/**
 * OpenAI messages as Converse `system` blocks and `messages`. System (and developer) messages are lifted
 * out; tool results become `toolResult` blocks in a user turn; consecutive turns of the same role are
 * merged, since Converse requires user and assistant turns to alternate (parallel tool results must share
 * one user turn).
 */
export function toConverseMessages(messages: ChatMessage[]): { system: ConverseBlock[]; messages: ConverseMessage[] } {
  const system: ConverseBlock[] = [];
  const out: ConverseMessage[] = [];
  const append = (role: 'user' | 'assistant', blocks: ConverseBlock[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    const markedForCache = Boolean(message.cache_control);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...contentBlocks(message.content, 'text'));
        if (markedForCache) system.push(CACHE_POINT);
        break;
      case 'user':
        append('user', [...contentBlocks(message.content, 'any'), ...(markedForCache ? [CACHE_POINT] : [])]);
        break;
      case 'assistant':
        append('assistant', [...assistantBlocks(message), ...(markedForCache ? [CACHE_POINT] : [])]);
        break;
      case 'tool':
        append('user', [toolResultBlock(message), ...(markedForCache ? [CACHE_POINT] : [])]);
        break;
      default:
        throw badRequest(`Bedrock does not support messages with role "${message.role}".`, 'messages');
    }
  }
  return { system, messages: out };
}

/** Whether the conversation already holds tool calls or results (Converse then requires a toolConfig). */
export function hasToolBlocks(messages: ConverseMessage[]): boolean {
  return messages.some((m) => m.content.some((block) => 'toolUse' in block || 'toolResult' in block));
}
