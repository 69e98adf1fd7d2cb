import { describe, expect, it } from 'vitest';
import { pretenuring } from './pretenuring';

describe('pretenuring', () => {
  it('is off when unset, empty or "off"', () => {
    for (const value of [undefined, '', ' ', 'off', 'OFF']) expect(pretenuring({ TOLLGATE_V8_PRETENURING: value })).toEqual({ enabled: false });
  });

  it('is on only when asked for', () => {
    expect(pretenuring({ TOLLGATE_V8_PRETENURING: 'on' })).toEqual({ enabled: true });
    expect(pretenuring({ TOLLGATE_V8_PRETENURING: ' On ' })).toEqual({ enabled: true });
  });

  it('names the variable and the accepted values for anything else', () => {
    for (const value of ['yes', '1', 'true', 'of']) {
      expect(pretenuring({ TOLLGATE_V8_PRETENURING: value })).toEqual({ error: `TOLLGATE_V8_PRETENURING must be "on" (V8's default) or "off", got "${value}"` });
    }
  });
});
