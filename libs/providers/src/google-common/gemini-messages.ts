import { badRequest } from '@tollgate/common';
import type { ChatMessage } from '../provider.types';
import type { GeminiContent, GeminiPart } from './gemini.types';
import { mediaPart } from './gemini-media';
import { splitToolCallId } from './tool-call-ids';

/**
 * OpenAI `messages` to Gemini `contents` plus `systemInstruction`:
 * - system / developer messages (wherever they are) become `systemInstruction` parts;
 * - user -> role `user`, assistant -> role `model` (tool calls become `functionCall` parts);
 * - tool results become `functionResponse` parts of a `user` turn, named after the assistant call with the
 *   same id (Gemini ties results to calls by name and order, not id);
 * - consecutive turns of the same role are merged, as Gemini expects alternating turns.
 */
export function toGeminiContents(messages: ChatMessage[]): { contents: GeminiContent[]; systemInstruction?: GeminiContent } {
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();

  const push = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    const where = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textParts(message.content, where));
        break;
      case 'user':
        push('user', userParts(message.content, where));
        break;
      case 'assistant':
        push('model', assistantParts(message, where, toolNames));
        break;
      case 'tool': {
        const id = typeof message.tool_call_id === 'string' ? message.tool_call_id : '';
        const name = toolNames.get(id) ?? (typeof message.name === 'string' ? message.name : undefined);
        if (!name) throw badRequest(`${where}: tool result "${id}" answers no earlier assistant tool call; Gemini needs the function name.`, `${where}.tool_call_id`);
        push('user', [{ functionResponse: { name, response: toolResponse(message.content, where) } }]);
        break;
      }
      case 'function': {
        if (typeof message.name !== 'string') throw badRequest(`${where}: a function message needs "name".`, `${where}.name`);
        push('user', [{ functionResponse: { name: message.name, response: toolResponse(message.content, where) } }]);
        break;
      }
      default:
        throw badRequest(`${where}: role "${message.role}" is not supported by Gemini.`, `${where}.role`);
    }
  });
  return { contents, ...(system.length > 0 ? { systemInstruction: { parts: system } } : {}) };
}

function textParts(content: unknown, where: string): GeminiPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`${where}.content: expected a string or an array of content parts.`, `${where}.content`);
  return content.map((part, i) => {
    const p = part as { type?: unknown; text?: unknown };
    if (p?.type !== 'text' || typeof p.text !== 'string') throw badRequest(`${where}.content[${i}]: only text parts are allowed here.`, `${where}.content`);
    return { text: p.text };
  });
}

function userParts(content: unknown, where: string): GeminiPart[] {
  if (!Array.isArray(content)) return textParts(content, where);
  return content.map((part, i) => {
    const p = part as Record<string, unknown>;
    if (p?.type === 'text' && typeof p.text === 'string') return { text: p.text };
    return mediaPart(p, `${where}.content[${i}]`);
  });
}

function assistantParts(message: ChatMessage, where: string, toolNames: Map<string, string>): GeminiPart[] {
  const parts = textParts(message.content, where);
  const calls = message.tool_calls ?? (message.function_call ? [{ id: '', type: 'function', function: message.function_call }] : []);
  if (!Array.isArray(calls)) throw badRequest(`${where}.tool_calls: expected an array.`, `${where}.tool_calls`);
  calls.forEach((call: { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } }, i) => {
    const at = `${where}.tool_calls[${i}]`;
    if (call?.type !== 'function' || typeof call.function?.name !== 'string') throw badRequest(`${at}: expected a function tool call with a name.`, at);
    const id = typeof call.id === 'string' ? call.id : '';
    const name = call.function.name;
    if (id) toolNames.set(id, name);
    const { signature } = splitToolCallId(id);
    const part: GeminiPart = { functionCall: { name, args: parseArguments(call.function.arguments, at) } };
    if (signature) part.thoughtSignature = signature;
    parts.push(part);
  });
  return parts;
}

function parseArguments(raw: unknown, where: string): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(String(raw));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw badRequest(`${where}.function.arguments: expected a JSON object (Gemini takes function arguments as an object).`, `${where}.function.arguments`);
}

/**
 * A tool result as Gemini's `functionResponse.response` object: a JSON object result is sent as it is,
 * anything else (plain text, arrays, numbers) under `content`.
 */
function toolResponse(content: unknown, where: string): Record<string, unknown> {
  const text = typeof content === 'string' ? content : textParts(content, where).map((p) => p.text).join('');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: plain text result
  }
  return { content: text };
}
