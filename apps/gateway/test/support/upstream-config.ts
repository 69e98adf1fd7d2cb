/** A config whose model groups all point at one fake OpenAI upstream, each scripted by upstream model name. */
export function upstreamConfigYaml(upstreamUrl: string, groups: Array<{ name: string; upstreamModel: string; extra?: string }>): string {
  const entries = groups
    .map(
      (g) => `  - model_name: ${g.name}
    litellm_params:
      model: openai/${g.upstreamModel}
      api_base: ${upstreamUrl}/v1
      api_key: os.environ/UPSTREAM_API_KEY
${g.extra ?? ''}`,
    )
    .join('\n');
  return `model_list:
${entries}
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;
}

export const UPSTREAM_API_KEY = 'sk-upstream-secret-key';
