import type { Dispatcher } from 'undici';
import { GatewayError } from '@tollgate/common';
import type { Deadline } from '../shared/deadline';
import { upstreamBroken, upstreamHttpError } from '../shared/upstream-errors';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import type { OllamaResponse } from './ollama.types';
import { NdjsonSplitter } from './ndjson-splitter';
import { OllamaStreamTranslator } from './stream-translator';

/**
 * Relays an Ollama NDJSON stream (`/api/chat` or `/api/generate`) as OpenAI chunk events, translating each
 * line as it arrives. The deadline is re-armed per chunk; an `{"error": ...}` line, a broken connection or a
 * stream that ends before `done: true` fails with a GatewayError (the gateway turns it into an SSE error
 * event); the upstream body is destroyed when the caller stops early.
 */
export function relayOllamaStream(response: Dispatcher.ResponseData, deployment: Deployment, deadline: Deadline, includeUsage: boolean): ChatCompletionStream {
  const translator = new OllamaStreamTranslator(deployment.upstreamModel, includeUsage);

  function translate(line: string): Buffer[] {
    let parsed: OllamaResponse;
    try {
      parsed = JSON.parse(line) as OllamaResponse;
    } catch {
      throw new Error('the upstream sent a stream line that is not JSON');
    }
    // Ollama reports failures after the stream began as a line of their own, with the error text.
    if (typeof parsed.error === 'string') throw upstreamHttpError(deployment, 500, line, undefined);
    return translator.push(parsed);
  }

  async function* events(): AsyncGenerator<Buffer> {
    const splitter = new NdjsonSplitter();
    let finished = false;
    try {
      for await (const chunk of response.body) {
        deadline.arm(deployment.timeoutMs);
        for (const line of splitter.push(chunk as Buffer)) yield* translate(line);
      }
      for (const line of splitter.rest()) yield* translate(line);
      if (!translator.complete) throw new Error('the upstream closed the stream before its final (done) line');
      yield* translator.end();
      finished = true;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      if (deadline.signal.aborted) throw deadline.abortError(deployment, 'send the next chunk', deployment.timeoutMs);
      throw upstreamBroken(deployment, err);
    } finally {
      deadline.dispose();
      if (!finished) response.body.destroy();
    }
  }

  return { events: events(), usage: () => translator.tokenUsage() };
}
