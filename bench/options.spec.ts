import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './options';

const names = (argv: string[]) => parseArgs(argv).scenarios.map((s) => s.name);

describe('parseArgs', () => {
  it('defaults to the full run over every scenario but the peer, and every check', () => {
    const options = parseArgs([]);
    expect(options).toMatchObject({ connections: 64, durationS: 10, warmupS: 2, rate: 1000, streams: 100, smoke: false });
    expect(options).toMatchObject({ embedded: false, numWorkers: 1, soakMinutes: null, peerCommand: null, requests: null });
    expect(options.scenarios.map((s) => s.target)).not.toContain('peer');
    expect(options.scenarios).toHaveLength(15);
    expect(options.checks).toEqual(['paced', 'ttft', 'streams', 'large']);
  });

  it('adds the peer scenarios when a peer command is given, under either flag name', () => {
    const cmd = 'litellm --config {config} --port {port} --host {host}';
    expect(parseArgs(['--peer-cmd', cmd]).peerCommand).toBe(cmd);
    expect(names(['--gateway-cmd', cmd, '--scenarios', 'peer'])).toEqual(['peer-json', 'peer-stream', 'peer-serial']);
    expect(() => parseArgs(['--scenarios', 'peer'])).toThrow(/--peer-cmd/);
  });

  it('uses short smoke settings that explicit flags still override', () => {
    expect(parseArgs(['--smoke'])).toMatchObject({ connections: 8, durationS: 0.5, warmupS: 0, requests: 200, rate: 200, ttftCount: 10, smoke: true });
    expect(parseArgs(['--duration', '5', '--smoke', '--connections=16', '--rate', '1000'])).toMatchObject({
      connections: 16,
      durationS: 5,
      rate: 1000,
    });
  });

  it('selects scenarios by name, target or workload, and checks by name', () => {
    expect(names(['--scenarios', 'direct'])).toEqual(['direct-json', 'direct-stream', 'direct-serial']);
    expect(names(['--scenarios', 'serial'])).toEqual(['direct-serial', 'nginx-serial', 'floor-serial', 'passthrough-serial', 'full-serial']);
    expect(names(['--scenarios', 'stream,full-serial'])).toEqual([
      'direct-stream',
      'nginx-stream',
      'floor-stream',
      'passthrough-stream',
      'full-stream',
      'full-serial',
    ]);
    const checksOnly = parseArgs(['--scenarios', 'paced,large']);
    expect(checksOnly.scenarios).toEqual([]);
    expect(checksOnly.checks).toEqual(['paced', 'large']);
    expect(parseArgs(['--scenarios', 'load']).checks).toEqual([]);
    expect(parseArgs(['--scenarios', 'checks']).scenarios).toEqual([]);
    expect(() => parseArgs(['--scenarios', 'direct,bogus'])).toThrow(UsageError);
  });

  it('takes the soak minutes as an optional value', () => {
    expect(parseArgs(['--soak']).soakMinutes).toBe(10);
    expect(parseArgs(['--soak', '3']).soakMinutes).toBe(3);
    expect(parseArgs(['--soak=0.5', '--smoke']).soakMinutes).toBe(0.5);
    expect(parseArgs(['--soak', '--smoke'])).toMatchObject({ soakMinutes: 10, smoke: true });
    expect(() => parseArgs(['--soak', '0'])).toThrow(UsageError);
  });

  it('reads --limits-sync as whole milliseconds up to a second; unset keeps per-request checks', () => {
    expect(parseArgs([]).limitsSyncMs).toBeNull();
    expect(parseArgs(['--limits-sync', '10']).limitsSyncMs).toBe(10);
    for (const bad of ['0', '2.5', '1001']) expect(() => parseArgs(['--limits-sync', bad])).toThrow(UsageError);
  });

  it('reads --chunk-interval as milliseconds between streamed events, 0 (all at once) by default', () => {
    expect(parseArgs([]).chunkIntervalMs).toBe(0);
    expect(parseArgs(['--chunk-interval', '20']).chunkIntervalMs).toBe(20);
    expect(() => parseArgs(['--chunk-interval', '-1'])).toThrow(UsageError);
  });

  it('reads --num-workers and --embedded', () => {
    expect(parseArgs(['--num-workers', '2', '--embedded'])).toMatchObject({ numWorkers: 2, embedded: true });
    expect(() => parseArgs(['--num-workers', '0'])).toThrow(UsageError);
  });

  it('reads the CPU profile directory, off by default', () => {
    expect(parseArgs([]).cpuProfDir).toBeNull();
    expect(parseArgs(['--cpu-prof', '/tmp/profiles']).cpuProfDir).toBe('/tmp/profiles');
    expect(() => parseArgs(['--cpu-prof'])).toThrow('--cpu-prof needs a value');
  });

  it('rejects unknown flags and bad numbers', () => {
    expect(() => parseArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseArgs(['--connections', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['--connections', '2.5'])).toThrow(UsageError);
    expect(() => parseArgs(['--rate', '2.5'])).toThrow(UsageError);
    expect(() => parseArgs(['--duration', 'x'])).toThrow(UsageError);
    expect(() => parseArgs(['--duration'])).toThrow(UsageError);
  });
});
