import type { UpstreamResponse } from '../shared/streaming-call';
import type { Deadline } from '../shared/deadline';
import { parseFrameJson, relayTranslatedStream } from '../shared/translated-stream';
import { upstreamHttpError } from '../shared/upstream-errors';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import type { OllamaResponse } from './ollama.types';
import { NdjsonSplitter } from './ndjson-splitter';
import { OllamaStreamTranslator } from './stream-translator';

/** Relays an Ollama NDJSON stream (`/api/chat` or `/api/generate`) as OpenAI chunk events, line by line. */
export function relayOllamaStream(response: UpstreamResponse, deployment: Deployment, deadline: Deadline, includeUsage: boolean): ChatCompletionStream {
  const translator = new OllamaStreamTranslator(deployment.upstreamModel, includeUsage);
  const splitter = new NdjsonSplitter();
  return relayTranslatedStream(response, deployment, deadline, { push: (chunk) => splitter.push(chunk), rest: () => splitter.rest() }, {
    translate: (line: string) => {
      const parsed = parseFrameJson<OllamaResponse>(line, 'stream line');
      // Ollama reports failures after the stream began as a line of their own, with the error text.
      if (typeof parsed.error === 'string') throw upstreamHttpError(deployment, 500, line, undefined);
      return translator.push(parsed);
    },
    isComplete: () => translator.complete,
    endMarker: 'its final (done) line',
    end: () => translator.end(),
    usage: () => translator.tokenUsage(),
  });
}
