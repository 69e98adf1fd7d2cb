import type { ChatCompletionStream } from '@tollgate/providers';

/**
 * Reads a stream's first event before the caller is answered, so an upstream that fails before its first
 * chunk (or never sends one within `stream_timeout`) fails the attempt and can be retried or fall back; the
 * returned stream replays that event, then relays the rest as it comes.
 */
export async function primedStream(stream: ChatCompletionStream): Promise<ChatCompletionStream> {
  const iterator = stream.events[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (err) {
    stream.cancel?.();
    throw err;
  }
  const events: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]() {
      let replayed = first.done === true;
      return {
        next: () => {
          if (!replayed) {
            replayed = true;
            return Promise.resolve(first);
          }
          return iterator.next();
        },
        return: (value?: unknown) => (iterator.return ? iterator.return(value) : Promise.resolve({ done: true as const, value: undefined })),
        throw: (err?: unknown) => (iterator.throw ? iterator.throw(err) : Promise.reject(err)),
      };
    },
  };
  return { events, usage: () => stream.usage(), cancel: stream.cancel ? () => stream.cancel?.() : undefined };
}
