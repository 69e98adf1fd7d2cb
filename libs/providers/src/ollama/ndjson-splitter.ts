const NEWLINE = 0x0a;

/**
 * Splits a byte stream of newline-delimited JSON into whole lines as bytes arrive. Lines split across TCP
 * chunks (even inside a multi-byte UTF-8 character) are held until their newline; bytes are only decoded
 * once a line is complete, and what came before is never scanned again.
 */
export class NdjsonSplitter {
  private pending: Buffer[] = [];

  /** Feeds bytes and returns the non-blank lines completed by them (without the newline). */
  push(bytes: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      this.pending.push(bytes.subarray(start, end));
      this.emit(lines);
      start = end + 1;
    }
    if (start < bytes.length) this.pending.push(bytes.subarray(start));
    return lines;
  }

  /** The last line when the stream ended without a newline after it. */
  rest(): string[] {
    const lines: string[] = [];
    this.emit(lines);
    return lines;
  }

  private emit(into: string[]): void {
    const line = (this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending)).toString('utf8').trim();
    this.pending = [];
    if (line) into.push(line);
  }
}
