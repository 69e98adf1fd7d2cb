import { describe, expect, it } from 'vitest';
import { NdjsonSplitter } from './ndjson-splitter';

describe('NdjsonSplitter', () => {
  it('returns whole lines, holding a line split across chunks until its newline', () => {
    const s = new NdjsonSplitter();
    expect(s.push(Buffer.from('{"a":1}\n{"b":'))).toEqual(['{"a":1}']);
    expect(s.push(Buffer.from('2'))).toEqual([]);
    expect(s.push(Buffer.from('}\n{"c":3}\n'))).toEqual(['{"b":2}', '{"c":3}']);
    expect(s.rest()).toEqual([]);
  });

  it('reassembles a multi-byte UTF-8 character cut between chunks', () => {
    const bytes = Buffer.from('{"t":"24°C"}\n');
    const cut = bytes.indexOf(0xb0); // inside the two-byte "°"
    const s = new NdjsonSplitter();
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"t":"24°C"}']);
  });

  it('skips blank lines, tolerates CRLF and gives back a last line without a newline', () => {
    const s = new NdjsonSplitter();
    expect(s.push(Buffer.from('\n{"a":1}\r\n\n{"done":true}'))).toEqual(['{"a":1}']);
    expect(s.rest()).toEqual(['{"done":true}']);
  });
});
