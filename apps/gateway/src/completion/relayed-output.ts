import { nextSseBoundary } from '@tollgate/providers';
import type { ProducedOutput } from '@tollgate/spend';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/** What a key of a chunk means for the produced text. */
const NONE = 0;
const CONTENT = 1;
const REASONING = 2;
const REASONING_CONTENT = 3;
const TOOL_SECTION = 4;
const TOOL_NAME = 5;
const TOOL_ARGUMENTS = 6;

const KEYS: ReadonlyArray<readonly [Buffer, number]> = [
  [Buffer.from('content'), CONTENT],
  [Buffer.from('refusal'), CONTENT],
  [Buffer.from('reasoning'), REASONING],
  [Buffer.from('reasoning_content'), REASONING_CONTENT],
  [Buffer.from('tool_calls'), TOOL_SECTION],
  [Buffer.from('function_call'), TOOL_SECTION],
  [Buffer.from('name'), TOOL_NAME],
  [Buffer.from('arguments'), TOOL_ARGUMENTS],
];

/** The keys above by length, then by first byte: most keys of a chunk are rejected by one array lookup. */
const KEYS_BY_LENGTH: Array<Array<readonly [Buffer, number]> | undefined> = [];
for (const entry of KEYS) (KEYS_BY_LENGTH[entry[0].length] ??= []).push(entry);

function fieldOf(event: Buffer, start: number, end: number): number {
  const candidates = KEYS_BY_LENGTH[end - start];
  if (candidates === undefined) return NONE;
  next: for (let c = 0; c < candidates.length; c++) {
    const key = candidates[c][0];
    for (let i = 0; i < key.length; i++) if (key[i] !== event[start + i]) continue next;
    return candidates[c][1];
  }
  return NONE;
}

function decode(event: Buffer, start: number, end: number, escaped: boolean): string {
  if (!escaped) return event.toString('utf8', start, end);
  try {
    return JSON.parse(event.toString('utf8', start - 1, end + 1)) as string;
  } catch {
    return event.toString('utf8', start, end);
  }
}

/**
 * The text a stream relayed to its caller, gathered from the OpenAI `chat.completion.chunk` events as they go
 * out: content and refusals, reasoning, tool-call names and argument fragments, of every choice. It is what a
 * stream is billed for when the provider reported no usage or the caller cut the stream.
 *
 * Each event is read in one pass over its bytes that only tells JSON strings apart and decodes the values of
 * the keys above, about as fast as JSON.parse without building the chunk's objects. A string followed by `:`
 * is a key (a quote inside a string is always escaped); values that are not strings (`"content":null`,
 * logprobs' `"content":[...]`) are skipped.
 */
export class RelayedOutput implements ProducedOutput {
  content = '';
  reasoning = '';
  readonly toolCallNames: string[] = [];
  toolCallArguments = '';

  /** Notes the events in `events` (one or more whole events, as a relay passes them on). */
  observe(events: Buffer): void {
    for (let start = 0; start < events.length; ) {
      const boundary = nextSseBoundary(events, start);
      const end = boundary === -1 ? events.length : boundary;
      this.observeEvent(events, start, end);
      start = end;
    }
  }

  /** Reads the one event in `event` from `from` to `to`: `reasoning` and tool-call context are per event. */
  private observeEvent(event: Buffer, from: number, to: number): void {
    let reasoning = '';
    let reasoningContent = '';
    let inToolCall = false;
    let wanted = NONE;
    let at = from;
    while (at < to) {
      if (event[at] !== QUOTE) {
        at++;
        continue;
      }
      const start = at + 1;
      let end = start;
      let escaped = false;
      while (end < to && event[end] !== QUOTE) {
        if (event[end] === BACKSLASH) {
          escaped = true;
          end += 2;
        } else end++;
      }
      if (end >= to) break; // an event cut inside a string: nothing more to read
      if (wanted !== NONE) {
        const value = decode(event, start, end, escaped);
        if (wanted === CONTENT) this.content += value;
        else if (wanted === REASONING) reasoning += value;
        else if (wanted === REASONING_CONTENT) reasoningContent += value;
        else if (wanted === TOOL_NAME) this.toolCallNames.push(value);
        else this.toolCallArguments += value;
        wanted = NONE;
        at = end + 1;
        continue;
      }
      at = end + 1;
      while (at < to && isSpace(event[at])) at++;
      if (at >= to || event[at] !== COLON) continue;
      let field = fieldOf(event, start, end);
      if (field === TOOL_SECTION) inToolCall = true;
      // `name` and `arguments` are produced text only inside a tool call.
      if ((field === TOOL_NAME || field === TOOL_ARGUMENTS) && !inToolCall) field = NONE;
      at++;
      while (at < to && isSpace(event[at])) at++;
      if (field !== NONE && field !== TOOL_SECTION && at < to && event[at] === QUOTE) wanted = field;
    }
    // Some servers send the same reasoning under both names; `reasoning_content` wins when present.
    this.reasoning += reasoningContent || reasoning;
  }
}
