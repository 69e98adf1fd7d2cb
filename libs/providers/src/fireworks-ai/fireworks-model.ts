/**
 * Fireworks names its serverless models `accounts/fireworks/models/<name>`; a bare name (no `/`) in a
 * `fireworks_ai/<name>` model string means one of those, as in LiteLLM. Names with a `/` (another account's
 * model, a deployment) are sent as given.
 */
export function fireworksModelId(upstreamModel: string): string {
  return upstreamModel.includes('/') ? upstreamModel : `accounts/fireworks/models/${upstreamModel}`;
}
