import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One decoded `application/vnd.amazon.eventstream` message, with the headers Bedrock uses. */
export interface StreamFrame {
  /** `:message-type`: `event`, `exception` or `error`. */
  messageType: string;
  /** `:event-type` of an event (`contentBlockDelta`, ...). */
  eventType?: string;
  /** `:exception-type` of an exception (`throttlingException`, ...), or `:error-code` of an error. */
  exceptionType?: string;
  /** The payload as text (JSON for Bedrock; `:error-message` for error frames without one). */
  body: string;
}

/** Total length (4 bytes) + headers length (4) + prelude CRC (4), then headers, payload, message CRC (4). */
const PRELUDE_BYTES = 12;
const MIN_FRAME_BYTES = 16;
/** The event-stream format's own ceiling; a bigger length means the bytes are not a frame boundary. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

type Headers = ReturnType<EventStreamCodec['decode']>['headers'];

function stringHeader(headers: Headers, name: string): string | undefined {
  const header = headers[name];
  return header && header.type === 'string' ? header.value : undefined;
}

/**
 * Cuts a byte stream into event-stream frames and decodes each one as soon as all its bytes are there
 * (a frame may arrive split across network chunks, or several in one chunk). Decoding checks both CRCs, so
 * a corrupted stream fails loudly instead of yielding garbage.
 */
export class EventStreamFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): StreamFrame[] {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: StreamFrame[] = [];
    while (data.length >= PRELUDE_BYTES) {
      const total = data.readUInt32BE(0);
      if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) throw new Error(`invalid event-stream frame length ${total}`);
      if (data.length < total) break;
      frames.push(toFrame(codec.decode(data.subarray(0, total))));
      data = data.subarray(total);
    }
    this.pending = data.length === 0 ? Buffer.alloc(0) : Buffer.from(data);
    return frames;
  }

  /** Bytes of an incomplete frame are waiting (the stream ended mid-frame if nothing more comes). */
  get hasPartialFrame(): boolean {
    return this.pending.length > 0;
  }
}

function toFrame(message: ReturnType<EventStreamCodec['decode']>): StreamFrame {
  const messageType = stringHeader(message.headers, ':message-type') ?? 'event';
  const body = toUtf8(message.body);
  if (messageType === 'error') {
    const errorMessage = stringHeader(message.headers, ':error-message');
    return { messageType, exceptionType: stringHeader(message.headers, ':error-code'), body: body || JSON.stringify({ message: errorMessage ?? '' }) };
  }
  return { messageType, eventType: stringHeader(message.headers, ':event-type'), exceptionType: stringHeader(message.headers, ':exception-type'), body };
}

