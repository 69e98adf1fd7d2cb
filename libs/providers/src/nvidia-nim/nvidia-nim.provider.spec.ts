import { afterEach, describe, expect, it } from 'vitest';
import { readNvidiaNimError } from './nvidia-nim-errors';
import { nvidiaNimProvider } from './nvidia-nim.provider';

describe('nvidia_nim provider', () => {
  afterEach(() => {
    delete process.env.NVIDIA_NIM_API_BASE;
  });

  it('calls integrate.api.nvidia.com/v1 unless api_base or NVIDIA_NIM_API_BASE say otherwise', () => {
    expect(nvidiaNimProvider.displayApiBase({ model: 'nvidia_nim/x' })).toBe('https://integrate.api.nvidia.com/v1');
    process.env.NVIDIA_NIM_API_BASE = 'http://nim.internal:8000/v1';
    expect(nvidiaNimProvider.displayApiBase({ model: 'nvidia_nim/x' })).toBe('http://nim.internal:8000/v1');
    expect(nvidiaNimProvider.capabilities.embeddingParams?.has('dimensions')).toBe(true);
  });

  it('reads the gateway problem-details bodies and leaves model-server bodies to the default reader', () => {
    expect(readNvidiaNimError('{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Authentication failed"}')).toEqual({
      message: 'Unauthorized: Authentication failed',
      code: null,
      param: null,
    });
    expect(readNvidiaNimError('{"object":"error","message":"too long","type":"BadRequestError","code":400}')).toBeUndefined();
  });
});
