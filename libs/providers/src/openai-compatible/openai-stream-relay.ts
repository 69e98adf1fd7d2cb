import type { UpstreamResponse } from '../shared/streaming-call';
import type { Deadline } from '../shared/deadline';
import { SSE_DONE, SseEventSplitter, joinSseEvents, sseEventData } from '../shared/sse-event-splitter';
import { usageFromOpenAI } from '../shared/token-usage';
import { upstreamBroken } from '../shared/upstream-errors';
import type { ChatCompletionStream, Deployment, TokenUsage } from '../provider.types';

const USAGE_KEY = Buffer.from('"usage"');

/** True when the event carries a usage object (OpenAI sends `"usage":null` on ordinary chunks). */
function hasUsageObject(event: Buffer): boolean {
  let at = event.indexOf(USAGE_KEY);
  while (at !== -1) {
    let i = at + USAGE_KEY.length;
    while (i < event.length && (event[i] === 0x20 || event[i] === 0x3a)) i++; // spaces and ':'
    if (event[i] === 0x7b) return true; // '{'
    at = event.indexOf(USAGE_KEY, i);
  }
  return false;
}

/**
 * Relays an OpenAI-compatible SSE response to the caller as it arrives, bytes unchanged. It only looks
 * inside the events that carry usage (to record tokens) and drops the usage-only event when the caller did
 * not ask for it (Tollgate always asks the upstream, so that every stream can be accounted for).
 */
export function relayOpenAIStream(
  response: UpstreamResponse,
  deployment: Deployment,
  deadline: Deadline,
  callerWantsUsage: boolean,
): ChatCompletionStream {
  let usage: TokenUsage | undefined;
  let sawDone = false;

  async function* events(): AsyncGenerator<Buffer> {
    const splitter = new SseEventSplitter();
    let finished = false;
    let sawChunk = false;
    try {
      for await (const chunk of response.body) {
        sawChunk = true;
        deadline.arm(deployment.timeoutMs);
        const batch = forward(splitter.push(chunk as Buffer));
        if (batch) yield batch;
      }
      const rest = splitter.rest();
      if (rest.toString('utf8').trim()) {
        const batch = forward([Buffer.concat([rest, Buffer.from('\n\n')])]);
        if (batch) yield batch;
      }
      if (!sawDone) throw new Error('the upstream closed the stream before sending [DONE]');
      finished = true;
    } catch (err) {
      if (deadline.signal.aborted) {
        // Until the first chunk the stream timeout is armed (set when the upstream was called), then the whole-request one per chunk.
        throw sawChunk
          ? deadline.abortError(deployment, 'send the next chunk', deployment.timeoutMs)
          : deadline.abortError(deployment, 'send its first chunk', deployment.streamTimeoutMs);
      }
      throw upstreamBroken(deployment, err);
    } finally {
      deadline.dispose();
      if (!finished) response.body.destroy();
    }
  }

  /**
   * The events of one upstream read that go to the caller, as one buffer: relaying what arrived together in
   * one piece spares the caller's side a write (and a wake-up) per event, and waits for nothing.
   */
  function forward(events: Buffer[]): Buffer | undefined {
    let kept = 0;
    for (let i = 0; i < events.length; i++) {
      const forwarded = inspect(events[i]);
      if (forwarded === undefined) continue;
      if (forwarded === 'done') sawDone = true;
      // A [DONE] framed otherwise (CRLF, no space) goes out in the usual framing.
      events[kept++] = forwarded === 'done' ? (events[i].equals(SSE_DONE) ? events[i] : SSE_DONE) : forwarded;
    }
    events.length = kept;
    return joinSseEvents(events);
  }

  function inspect(event: Buffer): Buffer | 'done' | undefined {
    if (!hasUsageObject(event)) {
      const data = event.length < 32 ? sseEventData(event) : undefined;
      return data?.trim() === '[DONE]' ? 'done' : event;
    }
    const data = sseEventData(event);
    if (data === undefined) return event;
    try {
      const chunk = JSON.parse(data) as { usage?: unknown; choices?: unknown };
      usage = usageFromOpenAI(chunk.usage) ?? usage;
      const usageOnly = Array.isArray(chunk.choices) && chunk.choices.length === 0;
      return usageOnly && !callerWantsUsage ? undefined : event;
    } catch {
      return event;
    }
  }

  return {
    events: events(),
    usage: () => usage,
    cancel: () => {
      deadline.dispose();
      response.body.destroy();
    },
  };
}
