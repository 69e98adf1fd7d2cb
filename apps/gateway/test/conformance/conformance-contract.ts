/**
 * The provider conformance contract. Every chat provider runs the same scenarios through the running gateway
 * with the official openai client (conformance.e2e.spec.ts). Each provider has a fake upstream in
 * `fakes/<provider>.fake.ts` that speaks the provider's real wire format (paths, auth, JSON, streaming
 * framing, error bodies) and follows the rules below.
 *
 * How a fake knows the scenario: the FIRST user message's text starts with `[[<scenario>]]` (in the
 * provider's native request, after the gateway's translation). A fake that finds a translation mistake
 * answers with a native 400 error whose message starts with `conformance fake:` and says what was wrong;
 * the test then fails showing that message.
 *
 * Every fake must also check credentials the way the real API does (header, query key or signature) and
 * answer the provider's native 401 when they are wrong.
 */

export const SCENARIOS = [
  'plain',
  'system',
  'multi-turn',
  'image',
  'tool-call',
  'parallel-tools',
  'tool-result',
  'json',
  'stream-text',
  'stream-tool',
  'stop',
  'max-tokens',
  'error-401',
  'error-429',
  'error-context',
  'error-500',
  'error-overloaded',
] as const;

export type Scenario = (typeof SCENARIOS)[number];

/**
 * What each fake must answer, natively, for each scenario (the test checks the OpenAI-side result):
 *
 * - plain: text PLAIN_TEXT, normal stop, usage input 10 / output 5.
 * - system: check the system prompt arrived where the provider expects it; text `system=<system text>`.
 * - multi-turn: the conversation is user / assistant / user (3 turns, no system); text `turns=<count>`.
 * - image: the user message has a base64 PNG image part (TINY_PNG_BASE64); check media type and data;
 *   text `image=image/png`.
 * - tool-call: the tool `get_weather` (one string parameter `city`) is declared natively; answer one tool
 *   call get_weather {"city":"Paris"} with the provider's tool-use stop reason.
 * - parallel-tools: as tool-call, answer two calls in this order: {"city":"Paris"}, {"city":"London"}.
 * - tool-result: the request carries the assistant's earlier call (id `call_1`, get_weather {"city":"Paris"})
 *   and its result "22C" tied to that call; text `tool=22C`.
 * - json: JSON output was requested natively where the provider has a switch for it; text `{"ok":true}`.
 * - stream-text: streaming; PLAIN_TEXT split into at least 3 native events, then the stop reason, and usage
 *   input 10 / output 5 in whatever native event carries it.
 * - stream-tool: streaming; one tool call get_weather {"city":"Paris"} whose arguments arrive in at least
 *   2 fragments where the provider streams arguments in pieces.
 * - stop: the native request carries the stop sequence "END"; text "partial", stopped by the stop sequence.
 * - max-tokens: the native request carries a maximum of 5 output tokens; text "cut", stopped for length.
 * - error-401: the provider's native authentication error (status 401 where the provider uses it).
 * - error-429: native rate-limit error, status 429, header `retry-after: 7`.
 * - error-context: the provider's native error for a prompt longer than the context window (its real
 *   status and message wording).
 * - error-500: native internal server error, status 500.
 * - error-overloaded: native overloaded / unavailable error (Anthropic: 529 overloaded_error; others 503).
 */
export const PLAIN_TEXT = 'Hello from the fake upstream.';

/** A 1x1 transparent PNG. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Embedding vectors a fake returns for input ["alpha", "beta"], with 4 input tokens in all. */
export const EMBEDDINGS = [
  [0.1, 0.2, 0.3],
  [0.4, 0.5, 0.6],
];

/** Returns the scenario named by a `[[scenario]]` marker at the start of `text`. */
export function scenarioOf(text: string): Scenario | undefined {
  const match = /^\[\[([a-z0-9-]+)\]\]/.exec(text.trim());
  return match && (SCENARIOS as readonly string[]).includes(match[1]) ? (match[1] as Scenario) : undefined;
}

/** What the runner needs from a provider's fake upstream. */
export interface ConformanceFake {
  /** Model-string prefix, e.g. `anthropic`. */
  provider: string;
  /** `litellm_params` of a deployment pointing at this fake (model string, api_base, credentials...). */
  litellmParams: Record<string, unknown>;
  /** `litellm_params` for embeddings, when the provider has them (the fake serves `embedding` scenarios). */
  embeddingParams?: Record<string, unknown>;
  /**
   * `estimated` when the provider's embeddings API reports no token count (Gemini's batchEmbedContents) and
   * Tollgate estimates it: the check then wants a positive count rather than the fake's 4.
   */
  embeddingUsage?: 'native' | 'estimated';
  /** Environment variables the deployment needs (e.g. AWS credentials), set for the whole run. */
  env?: Record<string, string>;
  /**
   * Scenarios this provider cannot do, and the documented behaviour the test checks instead: `400`
   * (Tollgate refuses with a 400 naming what is unsupported).
   */
  unsupported?: Partial<Record<Scenario, '400'>>;
  close(): Promise<void>;
}

export type StartConformanceFake = () => Promise<ConformanceFake>;
