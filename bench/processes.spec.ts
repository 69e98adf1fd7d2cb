import { describe, expect, it } from 'vitest';
import { tollgateCommand } from './processes';

describe('tollgateCommand', () => {
  it('runs bin/tollgate.js with the harness node, profiled only when asked', () => {
    expect(tollgateCommand('worker')).toBe(`'${process.execPath}' bin/tollgate.js worker`);
    expect(tollgateCommand('worker', { cpuProfDir: '/tmp/it is' })).toBe(
      `'${process.execPath}' --cpu-prof --cpu-prof-dir='/tmp/it is' bin/tollgate.js worker`,
    );
  });
});
