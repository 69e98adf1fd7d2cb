import { describe, expect, it } from 'vitest';
import { useTempConfigFolder } from '../test/temp-config';
import { collectUnusedKeys } from './interpreted-keys';
import { loadConfig } from './load-config';

const folder = useTempConfigFolder();

describe('unusedKeys', () => {
  it('lists unknown top-level sections, unknown settings keys and deployment-level extras', () => {
    const file = folder.write(
      'unused.yaml',
      [
        'model_list:',
        '  - model_name: a',
        '    litellm_params: {model: openai/a, temperature: 0.1, custom_flag: x}',
        '    model_info: {mode: chat}',
        '    tpm: 100',
        '    region_hint: eu',
        'general_settings: {master_key: sk-1, alerting: [slack]}',
        'litellm_settings: {drop_params: true, success_callback: [langfuse]}',
        'router_settings: {redis_host: h, enable_pre_call_checks: true, optional_pre_call_checks: [prompt_caching]}',
        'environment_variables: {SOME_VAR: x}',
        'guardrails: []',
        'credential_list: []',
      ].join('\n'),
    );
    expect(loadConfig(file, { env: {} }).unusedKeys).toEqual([
      'guardrails',
      'credential_list',
      'general_settings.alerting',
      'litellm_settings.success_callback',
      'model_list[0].region_hint',
    ]);
  });

  it('is empty when only interpreted keys are used', () => {
    const document = {
      model_list: [{ model_name: 'a', litellm_params: { model: 'openai/a', anything: 1 }, model_info: { id: 'x' } }],
      general_settings: { master_key: 'sk', database_url: 'postgresql://h/d', max_request_size_mb: 1 },
      litellm_settings: { drop_params: true, request_timeout: 1 },
      router_settings: { redis_host: 'h', redis_port: 1, redis_password: 'p', redis_url: 'redis://h' },
      environment_variables: { A: 'b' },
    };
    expect(collectUnusedKeys(document)).toEqual([]);
  });

  it('interprets the budget-reset settings of general_settings', () => {
    expect(collectUnusedKeys({ general_settings: { disable_reset_budget: false, proxy_budget_rescheduler_min_time: 30 } })).toEqual([]);
  });

  it('counts a key as present even when its env reference is unset', () => {
    expect(collectUnusedKeys({ general_settings: { alerting_threshold: 'os.environ/UNSET' } })).toEqual(['general_settings.alerting_threshold']);
  });
});
