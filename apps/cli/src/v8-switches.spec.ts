import { describe, expect, it } from 'vitest';
import { applyV8Switches, PRETENURING, V8_SWITCHES, v8SwitchSetting, WASM_TIER_UP } from './v8-switches';

describe('v8SwitchSetting', () => {
  it.each(V8_SWITCHES.map((s) => [s.variable, s]))('%s is off when unset, empty or "off"', (variable, v8Switch) => {
    for (const value of [undefined, '', ' ', 'off', 'OFF']) expect(v8SwitchSetting({ [variable]: value }, v8Switch)).toEqual({ enabled: false });
  });

  it.each(V8_SWITCHES.map((s) => [s.variable, s]))('%s is on only when asked for', (variable, v8Switch) => {
    expect(v8SwitchSetting({ [variable]: 'on' }, v8Switch)).toEqual({ enabled: true });
    expect(v8SwitchSetting({ [variable]: ' On ' }, v8Switch)).toEqual({ enabled: true });
  });

  it('names the variable and the accepted values for anything else', () => {
    for (const value of ['yes', '1', 'true', 'of']) {
      expect(v8SwitchSetting({ TOLLGATE_V8_PRETENURING: value }, PRETENURING)).toEqual({ error: `TOLLGATE_V8_PRETENURING must be "on" (V8's default) or "off", got "${value}"` });
      expect(v8SwitchSetting({ TOLLGATE_V8_WASM_TIER_UP: value }, WASM_TIER_UP)).toEqual({ error: `TOLLGATE_V8_WASM_TIER_UP must be "on" (V8's default) or "off", got "${value}"` });
    }
  });

  it('reads only its own variable', () => {
    expect(v8SwitchSetting({ TOLLGATE_V8_PRETENURING: 'on' }, WASM_TIER_UP)).toEqual({ enabled: false });
  });
});

describe('applyV8Switches', () => {
  const applied = (env: NodeJS.ProcessEnv) => {
    const flags: string[] = [];
    applyV8Switches(env, (flag) => flags.push(flag));
    return flags;
  };

  it('turns pretenuring and WebAssembly tier-up off by default', () => {
    expect(applied({})).toEqual(['--no-allocation-site-pretenuring', '--no-wasm-dynamic-tiering', '--no-wasm-tier-up']);
  });

  it('leaves V8 its default for each switch turned on', () => {
    expect(applied({ TOLLGATE_V8_WASM_TIER_UP: 'on' })).toEqual(['--no-allocation-site-pretenuring']);
    expect(applied({ TOLLGATE_V8_PRETENURING: 'on' })).toEqual(['--no-wasm-dynamic-tiering', '--no-wasm-tier-up']);
    expect(applied({ TOLLGATE_V8_PRETENURING: 'on', TOLLGATE_V8_WASM_TIER_UP: 'on' })).toEqual([]);
  });

  it('sets no flag at all when any variable is wrong', () => {
    const flags: string[] = [];
    expect(() => applyV8Switches({ TOLLGATE_V8_WASM_TIER_UP: 'maybe' }, (flag) => flags.push(flag))).toThrow('TOLLGATE_V8_WASM_TIER_UP must be "on"');
    expect(flags).toEqual([]);
  });

  it('gives V8 flags it accepts', async () => {
    const { execFileSync } = await import('node:child_process');
    const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of V8_SWITCHES.flatMap((s) => s.offFlags)) expect(known).toContain(`  --${flag.replace(/^--no-/, '')} `);
  });
});
