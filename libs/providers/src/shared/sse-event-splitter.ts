const LF_LF = Buffer.from('\n\n');
const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * Splits a byte stream of server-sent events into whole events (each returned with its terminating blank
 * line), without decoding or re-encoding them, so events can be inspected and forwarded byte for byte.
 */
export class SseEventSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes and returns the events completed by them. */
  push(bytes: Buffer): Buffer[] {
    const data = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    const events: Buffer[] = [];
    let start = 0;
    for (;;) {
      const end = nextSseBoundary(data, start);
      if (end === -1) break;
      events.push(data.subarray(start, end));
      start = end;
    }
    this.pending = start === 0 ? data : data.subarray(start);
    return events;
  }

  /** Whatever arrived after the last complete event (an upstream that ended without a blank line). */
  rest(): Buffer {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest;
  }
}

/** Index just past the next event terminator at or after `from`, or -1. */
export function nextSseBoundary(data: Buffer, from: number): number {
  const lf = data.indexOf(LF_LF, from);
  // CRLF framing is rare; only look for it when the event contains a carriage return at all.
  const cr = data.indexOf(13, from);
  if (cr !== -1 && (lf === -1 || cr < lf)) {
    const crlf = data.indexOf(CRLF_CRLF, from);
    if (crlf !== -1 && (lf === -1 || crlf < lf)) return crlf + CRLF_CRLF.length;
  }
  return lf === -1 ? -1 : lf + LF_LF.length;
}

/** The concatenated `data:` payload of one event, or undefined for comment/keep-alive events. */
export function sseEventData(event: Buffer): string | undefined {
  const text = event.toString('utf8');
  let data: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}

export const SSE_DONE = Buffer.from('data: [DONE]\n\n');

/**
 * Whole events as one buffer. Events cut from the same chunk one after another are already one range of
 * its memory: that range is returned without a copy. Undefined for no events.
 */
export function joinSseEvents(events: readonly Buffer[]): Buffer | undefined {
  if (events.length <= 1) return events[0];
  const first = events[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < events.length; i++) {
    const event = events[i];
    if (event.buffer !== first.buffer || event.byteOffset !== end) return Buffer.concat(events);
    end += event.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** The whole events in `events`, each as a view of it (a relayed buffer may hold several). */
export function sseEventsIn(events: Buffer): Buffer[] {
  const found: Buffer[] = [];
  for (let start = 0; start < events.length; ) {
    const end = nextSseBoundary(events, start);
    found.push(events.subarray(start, end === -1 ? events.length : end));
    if (end === -1) break;
    start = end;
  }
  return found;
}

/** Frames a JSON value as one server-sent event. */
export function sseEvent(json: unknown): Buffer {
  return Buffer.from(`data: ${JSON.stringify(json)}\n\n`);
}
