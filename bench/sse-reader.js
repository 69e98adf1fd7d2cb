// Incremental reader for an OpenAI chat-completion SSE body: fed the bytes as they arrive, it counts
// content deltas, notes when the first one came and whether `data: [DONE]` was seen. It keeps only the
// current unfinished line, so a stream of any length is read in constant memory.
'use strict';

const { performance } = require('node:perf_hooks');

class SseReader {
  constructor() {
    this.decoder = new TextDecoder();
    this.partial = '';
    this.dataLines = [];
    /** Chunks whose first choice carried non-empty `delta.content`. */
    this.contentChunks = 0;
    /** performance.now() when the first content delta was read, or null. */
    this.firstContentAt = null;
    /** performance.now() when the latest content delta was read, or null. */
    this.lastContentAt = null;
    /** The longest wait between two content deltas, in ms (0 with fewer than two). */
    this.longestGapMs = 0;
    /** True once `data: [DONE]` was read. */
    this.done = false;
    /** Message of an `{"error": ...}` event or of unparsable data, or null. */
    this.error = null;
  }

  /** @param {Uint8Array} bytes */
  push(bytes) {
    if (this.done) return;
    const text = this.partial + this.decoder.decode(bytes, { stream: true });
    let start = 0;
    let newline;
    while (!this.done && (newline = text.indexOf('\n', start)) !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.line(text.slice(start, end));
      start = newline + 1;
    }
    this.partial = this.done ? '' : text.slice(start);
  }

  /** Call when the body ended: a last event without its blank line still counts. */
  end() {
    if (this.done) return;
    if (this.partial) this.line(this.partial.replace(/\r$/, ''));
    this.partial = '';
    this.line('');
  }

  line(line) {
    if (line === '') return this.dispatch();
    if (line.startsWith('data:')) this.dataLines.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
    // Comments (":"), `event:`, `id:` and `retry:` lines do not matter for counting.
  }

  dispatch() {
    if (this.dataLines.length === 0) return;
    const data = this.dataLines.join('\n');
    this.dataLines = [];
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let event;
    try {
      event = JSON.parse(data);
    } catch {
      this.error ??= `unparsable event: ${data.slice(0, 120)}`;
      return;
    }
    if (event?.error) {
      this.error ??= String(event.error.message ?? JSON.stringify(event.error)).slice(0, 200);
      return;
    }
    const content = event?.choices?.[0]?.delta?.content;
    if (typeof content === 'string' && content !== '') {
      this.contentChunks++;
      const now = performance.now();
      this.firstContentAt ??= now;
      if (this.lastContentAt !== null) this.longestGapMs = Math.max(this.longestGapMs, now - this.lastContentAt);
      this.lastContentAt = now;
    }
  }
}

module.exports = { SseReader };
