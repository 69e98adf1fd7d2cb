import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './options';

const names = (argv: string[]) => parseArgs(argv).scenarios.map((s) => s.name);

describe('parseArgs', () => {
  it('defaults to the full run over every scenario', () => {
    const options = parseArgs([]);
    expect(options).toMatchObject({ connections: 64, durationS: 10, warmupS: 2, smoke: false, gatewayCommand: null });
    expect(options.scenarios).toHaveLength(6);
  });

  it('uses short smoke settings that explicit flags still override', () => {
    expect(parseArgs(['--smoke'])).toMatchObject({ connections: 8, durationS: 2, warmupS: 0.5, smoke: true });
    expect(parseArgs(['--duration', '5', '--smoke', '--connections=16'])).toMatchObject({ connections: 16, durationS: 5 });
  });

  it('selects scenarios by name, target or workload', () => {
    expect(names(['--scenarios', 'direct'])).toEqual(['direct-json', 'direct-stream', 'direct-serial']);
    expect(names(['--scenarios', 'stream,gateway-serial'])).toEqual(['direct-stream', 'gateway-stream', 'gateway-serial']);
    expect(() => parseArgs(['--scenarios', 'direct,bogus'])).toThrow(UsageError);
  });

  it('keeps the gateway command as given', () => {
    const cmd = 'litellm --config {config} --port {port} --host {host}';
    expect(parseArgs(['--gateway-cmd', cmd]).gatewayCommand).toBe(cmd);
  });

  it('rejects unknown flags and bad numbers', () => {
    expect(() => parseArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseArgs(['--connections', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['--connections', '2.5'])).toThrow(UsageError);
    expect(() => parseArgs(['--duration', 'x'])).toThrow(UsageError);
    expect(() => parseArgs(['--duration'])).toThrow(UsageError);
  });
});
