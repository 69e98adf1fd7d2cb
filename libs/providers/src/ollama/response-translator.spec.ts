import { describe, expect, it } from 'vitest';
import { fromOllamaResponse, ollamaUsage } from './response-translator';

const parse = (body: Buffer) => JSON.parse(body.toString('utf8'));

describe('fromOllamaResponse', () => {
  it('turns an /api/chat answer into a chat.completion with eval counts as usage', () => {
    const { body, usage } = fromOllamaResponse(
      {
        model: 'llama3.2',
        created_at: '2023-12-12T14:13:43.416799Z',
        message: { role: 'assistant', content: 'Hello! How are you today?' },
        done: true,
        done_reason: 'stop',
        total_duration: 5191566416,
        prompt_eval_count: 26,
        eval_count: 298,
      } as never,
      'llama3.2',
    );
    expect(parse(body)).toMatchObject({
      object: 'chat.completion',
      model: 'llama3.2',
      choices: [{ message: { role: 'assistant', content: 'Hello! How are you today?' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 26, completion_tokens: 298, total_tokens: 324 },
    });
    expect(usage).toEqual({ promptTokens: 26, completionTokens: 298, totalTokens: 324 });
  });

  it('returns tool calls (arguments as JSON text, ids kept or made up) with finish_reason tool_calls although Ollama says stop', () => {
    const json = parse(
      fromOllamaResponse(
        {
          message: {
            role: 'assistant',
            content: '',
            tool_calls: [
              { function: { name: 'get_current_weather', arguments: { format: 'celsius', location: 'Paris, FR' } } },
              { id: 'call_abc', function: { name: 'get_current_weather', arguments: { location: 'Oslo' } } },
            ],
          },
          done_reason: 'stop',
          done: true,
        },
        'm',
      ).body,
    );
    const choice = json.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls[0]).toMatchObject({ type: 'function', function: { name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}' } });
    expect(choice.message.tool_calls[0].id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(choice.message.tool_calls[1].id).toBe('call_abc');
  });

  it('reads /api/generate answers, thinking as reasoning_content and done_reason length as length', () => {
    const json = parse(fromOllamaResponse({ response: 'The sky', thinking: 'Rayleigh.', done: true, done_reason: 'length', eval_count: 2 }, 'm').body);
    expect(json.choices[0]).toMatchObject({ message: { content: 'The sky', reasoning_content: 'Rayleigh.' }, finish_reason: 'length' });
  });
});

describe('ollamaUsage', () => {
  it('counts a fully cached prompt (no prompt_eval_count) as zero prompt tokens, and nothing without counts', () => {
    expect(ollamaUsage({ eval_count: 7 })).toEqual({ promptTokens: 0, completionTokens: 7, totalTokens: 7 });
    expect(ollamaUsage({ done: true })).toBeUndefined();
  });
});
