// The config.yaml every benchmarked gateway gets, in LiteLLM's format so a LiteLLM peer reads it too.
'use strict';

const PASSTHROUGH_MODEL = 'bench-model';
const ROUTED_MODEL = 'bench-routed';

// Three prices, so the cost step does real work and which deployment served a request shows in its cost.
const ROUTED_PRICES = [
  { input: '0.0000010', output: '0.0000020' },
  { input: '0.0000011', output: '0.0000021' },
  { input: '0.0000012', output: '0.0000022' },
];

function deployment(modelName, upstreamUrl, extra = []) {
  return [
    `  - model_name: ${modelName}`,
    '    litellm_params:',
    '      model: openai/bench-model',
    `      api_base: ${upstreamUrl}/v1`,
    '      api_key: sk-fake',
    ...extra,
  ];
}

/**
 * `bench-model`: one deployment, for the pass-through scenario (master key). `bench-routed`: a model group
 * of three priced deployments the router spreads the full pipeline's requests over.
 */
function gatewayConfigYaml(upstreamUrl) {
  const lines = ['model_list:', ...deployment(PASSTHROUGH_MODEL, upstreamUrl)];
  ROUTED_PRICES.forEach((price, i) => {
    lines.push(
      ...deployment(ROUTED_MODEL, upstreamUrl, [
        `      input_cost_per_token: ${price.input}`,
        `      output_cost_per_token: ${price.output}`,
        '    model_info:',
        `      id: bench-routed-${i + 1}`,
      ]),
    );
  });
  lines.push('router_settings:', '  routing_strategy: simple-shuffle', 'general_settings:', '  master_key: os.environ/LITELLM_MASTER_KEY', '');
  return lines.join('\n');
}

module.exports = { gatewayConfigYaml, PASSTHROUGH_MODEL, ROUTED_MODEL };
