import { afterEach, describe, expect, it, vi } from 'vitest';
import { bedrockEndpoint, bedrockModelId, bedrockRegion, bedrockUrl, encodeModelId, isAnthropicModel, isBedrockSetting } from './bedrock-settings';

afterEach(() => vi.unstubAllEnvs());

describe('Bedrock settings', () => {
  it('takes the region from aws_region_name, then AWS_REGION_NAME, then AWS_REGION, else us-east-1', () => {
    vi.stubEnv('AWS_REGION_NAME', '');
    vi.stubEnv('AWS_REGION', '');
    expect(bedrockRegion({ model: 'm' })).toBe('us-east-1');
    vi.stubEnv('AWS_REGION', 'ap-south-1');
    expect(bedrockRegion({ model: 'm' })).toBe('ap-south-1');
    vi.stubEnv('AWS_REGION_NAME', 'eu-central-1');
    expect(bedrockRegion({ model: 'm' })).toBe('eu-central-1');
    expect(bedrockRegion({ model: 'm', aws_region_name: 'us-west-2' })).toBe('us-west-2');
  });

  it('uses the regional endpoint unless api_base or the runtime endpoint setting overrides it', () => {
    vi.stubEnv('AWS_BEDROCK_RUNTIME_ENDPOINT', '');
    expect(bedrockEndpoint({ model: 'm', aws_region_name: 'us-west-2' })).toBe('https://bedrock-runtime.us-west-2.amazonaws.com');
    vi.stubEnv('AWS_BEDROCK_RUNTIME_ENDPOINT', 'https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com/');
    expect(bedrockUrl({ model: 'm' }, 'amazon.nova-lite-v1:0', 'converse')).toBe('https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse');
    expect(bedrockEndpoint({ model: 'm', aws_bedrock_runtime_endpoint: 'http://proxy:8080' })).toBe('http://proxy:8080');
    expect(bedrockEndpoint({ model: 'm', api_base: 'http://fake:1', aws_bedrock_runtime_endpoint: 'http://proxy:8080' })).toBe('http://fake:1');
  });

  it('keeps the query string of an endpoint behind the operation path', () => {
    expect(bedrockUrl({ model: 'm', api_base: 'http://proxy:8080/bedrock/?tenant=a' }, 'm', 'converse-stream')).toBe('http://proxy:8080/bedrock/model/m/converse-stream?tenant=a');
  });

  it('strips LiteLLM route prefixes and honours model_id', () => {
    expect(bedrockModelId({ model: 'm' }, 'converse/anthropic.claude-3-haiku-20240307-v1:0')).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(bedrockModelId({ model: 'm' }, 'us.anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe('us.anthropic.claude-3-5-sonnet-20241022-v2:0');
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123';
    expect(bedrockModelId({ model: 'm', model_id: arn }, 'anthropic.claude-v2')).toBe(arn);
  });

  it('encodes model ids and ARNs as one path segment', () => {
    expect(encodeModelId('anthropic.claude-3-haiku-20240307-v1:0')).toBe('anthropic.claude-3-haiku-20240307-v1%3A0');
    expect(encodeModelId("arn:aws:bedrock:us-east-1:1:inference-profile/x(1)*!'")).toBe('arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx%281%29%2A%21%27');
    expect(bedrockUrl({ model: 'm', api_base: 'http://h:1/' }, 'a.b:0', 'converse-stream')).toBe('http://h:1/model/a.b%3A0/converse-stream');
  });

  it('tells Claude models and Bedrock-only settings apart', () => {
    expect(isAnthropicModel('eu.anthropic.claude-3-7-sonnet-20250219-v1:0')).toBe(true);
    expect(isAnthropicModel('meta.llama3-70b-instruct-v1:0')).toBe(false);
    expect(['aws_access_key_id', 'aws_region_name', 'aws_bearer_token', 'model_id'].every(isBedrockSetting)).toBe(true);
    expect(isBedrockSetting('top_k')).toBe(false);
  });
});
