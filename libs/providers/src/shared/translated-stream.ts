import type { UpstreamResponse } from './streaming-call';
import { GatewayError } from '@tollgate/common';
import type { ChatCompletionStream, Deployment, TokenUsage } from '../provider.types';
import type { Deadline } from './deadline';
import { joinSseEvents, SseEventSplitter } from './sse-event-splitter';
import { upstreamBroken } from './upstream-errors';

/** Cuts a byte stream into the upstream's frames (SSE events, NDJSON lines, ...), across chunk boundaries. */
export interface StreamFraming<F> {
  push(chunk: Buffer): Iterable<F>;
  /** What remains when the upstream closed (a last frame without its terminator). */
  rest(): Iterable<F>;
}

/** A provider's incremental translation of its stream frames into OpenAI chunk events. */
export interface StreamTranslation<F> {
  /** OpenAI SSE events for one frame; throw to fail the stream. */
  translate(frame: F): Iterable<Buffer>;
  /** True once the upstream signalled the end of a complete answer. */
  isComplete(): boolean;
  /** The upstream's end marker, for the error when the stream stops without it (e.g. `message_stop`). */
  endMarker: string;
  /** Closing events (finish, usage, `[DONE]`) after a complete answer. */
  end(): Iterable<Buffer>;
  usage(): TokenUsage | undefined;
  /** Turns a provider-specific failure thrown by `translate` into a GatewayError (mid-stream upstream errors). */
  mapError?(err: unknown): GatewayError | undefined;
}

/** SSE framing that skips the keep-alive blank remainder. */
export function sseFraming(): StreamFraming<Buffer> {
  const splitter = new SseEventSplitter();
  return {
    push: (chunk) => splitter.push(chunk),
    rest: () => {
      const rest = splitter.rest();
      return rest.toString('utf8').trim() ? [rest] : [];
    },
  };
}

/**
 * The one stream lifecycle for translating providers: frames are translated as they arrive (nothing is
 * re-parsed), the deadline is re-armed per chunk (the deployment's timeout between chunks), a stream that
 * breaks, stalls or stops before its end marker fails with a GatewayError from the iterator (the gateway
 * turns it into an SSE error event), and the upstream connection is released when the caller stops early.
 */
export function relayTranslatedStream<F>(
  response: UpstreamResponse,
  deployment: Deployment,
  deadline: Deadline,
  framing: StreamFraming<F>,
  translation: StreamTranslation<F>,
): ChatCompletionStream {
  async function* events(): AsyncGenerator<Buffer> {
    let finished = false;
    let sawChunk = false;
    // The events translated from one upstream read go out as one buffer (see ChatCompletionStream.events).
    const pending: Buffer[] = [];
    const translate = (frames: Iterable<F>) => {
      for (const frame of frames) for (const event of translation.translate(frame)) pending.push(event);
    };
    const take = () => {
      const batch = joinSseEvents(pending);
      pending.length = 0;
      return batch;
    };
    try {
      for await (const chunk of response.body) {
        sawChunk = true;
        deadline.arm(deployment.timeoutMs);
        translate(framing.push(chunk as Buffer));
        const batch = take();
        if (batch) yield batch;
      }
      translate(framing.rest());
      if (!translation.isComplete()) throw new Error(`the upstream closed the stream before ${translation.endMarker}`);
      for (const event of translation.end()) pending.push(event);
      const batch = take();
      if (batch) yield batch;
      finished = true;
    } catch (err) {
      // What was translated before the failure still reaches the caller, ahead of the error.
      const relayed = take();
      if (relayed) yield relayed;
      const mapped = translation.mapError?.(err);
      if (mapped) throw mapped;
      if (err instanceof GatewayError) throw err;
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

  return {
    events: events(),
    usage: () => translation.usage(),
    cancel: () => {
      deadline.dispose();
      response.body.destroy();
    },
  };
}

/** Parses one frame's JSON, failing the stream with a clear reason when it is not JSON. */
export function parseFrameJson<T>(text: string, what = 'stream event'): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`the upstream sent a ${what} that is not JSON`);
  }
}
