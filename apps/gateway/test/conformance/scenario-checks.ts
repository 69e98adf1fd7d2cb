import OpenAI from 'openai';
import { expect } from 'vitest';
import { EMBEDDINGS, PLAIN_TEXT, TINY_PNG_BASE64, type Scenario } from './conformance-contract';

type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

const WEATHER_TOOL: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

const user = (scenario: Scenario, text: string): OpenAI.Chat.ChatCompletionMessageParam => ({ role: 'user', content: `[[${scenario}]] ${text}` });

/** The OpenAI request each scenario sends (streaming scenarios add `stream` themselves). */
export function scenarioRequest(scenario: Scenario, model: string): Params {
  switch (scenario) {
    case 'system':
      return { model, messages: [{ role: 'system', content: 'You are terse.' }, user(scenario, 'hi')] };
    case 'multi-turn':
      return { model, messages: [user(scenario, 'one'), { role: 'assistant', content: 'two' }, { role: 'user', content: 'three' }] };
    case 'image':
      return {
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: '[[image]] what is this?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG_BASE64}` } },
            ],
          },
        ],
      };
    case 'tool-call':
    case 'parallel-tools':
    case 'stream-tool':
      return { model, messages: [user(scenario, 'weather in Paris?')], tools: [WEATHER_TOOL] };
    case 'tool-result':
      return {
        model,
        tools: [WEATHER_TOOL],
        messages: [
          user(scenario, 'weather in Paris?'),
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '22C' },
        ],
      };
    case 'json':
      return { model, messages: [user(scenario, 'give json')], response_format: { type: 'json_object' } };
    case 'stop':
      return { model, messages: [user(scenario, 'count')], stop: ['END'] };
    case 'max-tokens':
      return { model, messages: [user(scenario, 'write a lot')], max_tokens: 5 };
    default:
      return { model, messages: [user(scenario, 'hello')] };
  }
}

const EXPECTED_ERRORS: Partial<Record<Scenario, { status: number; code?: string; retryAfter?: string }>> = {
  'error-401': { status: 401 },
  'error-429': { status: 429, retryAfter: '7' },
  'error-context': { status: 400, code: 'context_length_exceeded' },
  'error-500': { status: 500 },
  'error-overloaded': { status: 503 },
};

function toolCalls(message: OpenAI.Chat.ChatCompletionMessage): Array<{ name: string; args: unknown }> {
  return (message.tool_calls ?? []).map((call) => {
    if (call.type !== 'function') throw new Error(`unexpected tool call type ${call.type}`);
    expect(call.id, 'tool call id').toBeTruthy();
    return { name: call.function.name, args: JSON.parse(call.function.arguments) };
  });
}

/** Runs one scenario against the gateway and checks the OpenAI-side result. */
export async function runScenario(client: OpenAI, scenario: Scenario, model: string): Promise<void> {
  const expectedError = EXPECTED_ERRORS[scenario];
  if (expectedError) {
    const err = await client.chat.completions.create(scenarioRequest(scenario, model)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, 'the call should fail').toBeInstanceOf(OpenAI.APIError);
    const apiError = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status, apiError.message).toBe(expectedError.status);
    if (expectedError.code) expect(apiError.code).toBe(expectedError.code);
    if (expectedError.retryAfter) expect(apiError.headers?.get('retry-after')).toBe(expectedError.retryAfter);
    expect(apiError.message.length).toBeGreaterThan(0);
    return;
  }
  if (scenario === 'stream-text' || scenario === 'stream-tool') return runStreamScenario(client, scenario, model);

  const completion = await client.chat.completions.create(scenarioRequest(scenario, model));
  const choice = completion.choices[0];
  expect(completion.object).toBe('chat.completion');
  switch (scenario) {
    case 'plain':
      expect(choice.message.content).toBe(PLAIN_TEXT);
      expect(choice.finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
      return;
    case 'system':
      return void expect(choice.message.content).toBe('system=You are terse.');
    case 'multi-turn':
      return void expect(choice.message.content).toBe('turns=3');
    case 'image':
      return void expect(choice.message.content).toBe('image=image/png');
    case 'tool-call':
      expect(toolCalls(choice.message)).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
      return void expect(choice.finish_reason).toBe('tool_calls');
    case 'parallel-tools':
      expect(toolCalls(choice.message)).toEqual([
        { name: 'get_weather', args: { city: 'Paris' } },
        { name: 'get_weather', args: { city: 'London' } },
      ]);
      return void expect(choice.finish_reason).toBe('tool_calls');
    case 'tool-result':
      return void expect(choice.message.content).toBe('tool=22C');
    case 'json':
      return void expect(JSON.parse(choice.message.content ?? '')).toEqual({ ok: true });
    case 'stop':
      expect(choice.message.content).toBe('partial');
      return void expect(choice.finish_reason).toBe('stop');
    case 'max-tokens':
      expect(choice.message.content).toBe('cut');
      return void expect(choice.finish_reason).toBe('length');
    default:
      throw new Error(`no check for scenario ${scenario}`);
  }
}

async function runStreamScenario(client: OpenAI, scenario: 'stream-text' | 'stream-tool', model: string): Promise<void> {
  const base = scenarioRequest(scenario, model);
  const stream = await client.chat.completions.create({ ...base, stream: true, stream_options: { include_usage: true } });
  let text = '';
  const finishReasons: string[] = [];
  const usages: unknown[] = [];
  const calls = new Map<number, { id?: string; name: string; args: string }>();
  let contentChunks = 0;
  for await (const chunk of stream) {
    if (chunk.usage) usages.push(chunk.usage);
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) {
      text += choice.delta.content;
      contentChunks++;
    }
    for (const call of choice.delta.tool_calls ?? []) {
      const entry = calls.get(call.index) ?? { name: '', args: '' };
      if (call.id) entry.id = call.id;
      if (call.function?.name) entry.name += call.function.name;
      if (call.function?.arguments) entry.args += call.function.arguments;
      calls.set(call.index, entry);
    }
    if (choice.finish_reason) finishReasons.push(choice.finish_reason);
  }
  if (scenario === 'stream-text') {
    expect(text).toBe(PLAIN_TEXT);
    expect(contentChunks, 'text arrives in several chunks').toBeGreaterThanOrEqual(3);
    expect(finishReasons).toEqual(['stop']);
    expect(usages).toHaveLength(1);
    expect(usages[0]).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
  } else {
    expect([...calls.values()].map((c) => ({ name: c.name, args: JSON.parse(c.args), hasId: Boolean(c.id) }))).toEqual([
      { name: 'get_weather', args: { city: 'Paris' }, hasId: true },
    ]);
    expect(finishReasons).toEqual(['tool_calls']);
    expect(usages.length).toBeLessThanOrEqual(1);
  }
}

/** The embeddings scenario: two inputs in, two vectors out in OpenAI's shape. */
export async function runEmbeddingScenario(client: OpenAI, model: string, usage: 'native' | 'estimated' = 'native'): Promise<void> {
  const result = await client.embeddings.create({ model, input: ['alpha', 'beta'], encoding_format: 'float' });
  expect(result.object).toBe('list');
  expect(result.data.map((d) => ({ index: d.index, object: d.object, embedding: d.embedding }))).toEqual(
    EMBEDDINGS.map((embedding, index) => ({ index, object: 'embedding', embedding })),
  );
  if (usage === 'native') expect(result.usage?.prompt_tokens).toBe(4);
  else expect(result.usage?.prompt_tokens).toBeGreaterThan(0);
}
