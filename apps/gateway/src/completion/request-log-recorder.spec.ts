import type { Deployment, TokenUsage } from '@tollgate/providers';
import type { RequestLogEvent } from '@tollgate/request-log';
import { describe, expect, it } from 'vitest';
import { RequestLogRecorder, type RecordedRequest } from './request-log-recorder';

const deployment = { id: 'd1', modelName: 'm', provider: 'fake', upstreamModel: 'm', timeoutMs: 1000, streamTimeoutMs: 1000, params: { model: 'fake/m' } } as Deployment;

function recorder(): { recorder: RequestLogRecorder; events: RequestLogEvent[] } {
  const events: RequestLogEvent[] = [];
  const sink = { enqueue: (event: RequestLogEvent) => void events.push(event) } as never;
  return { recorder: new RequestLogRecorder(sink, { callId: 'c1', route: '/v1/chat/completions', requestedModel: 'm', stream: false } as never), events };
}

describe('RequestLogRecorder pricing', () => {
  it('prices one usage once, for the cost header and again for the log event', () => {
    const { recorder: r, events } = recorder();
    const priced: TokenUsage[] = [];
    r.useDeployment(deployment, (usage) => {
      priced.push(usage);
      return '0.000123';
    });
    const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15 };
    expect(r.costOf(usage)).toBe('0.000123');
    r.succeeded(usage);
    expect(priced).toHaveLength(1);
    expect(events[0]).toMatchObject({ spend: '0.000123', status: 200, totalTokens: 15 });
  });

  it('prices a different usage, or the same one on another deployment, afresh', () => {
    const { recorder: r } = recorder();
    let calls = 0;
    const pricer = () => String(++calls);
    r.useDeployment(deployment, pricer);
    const usage = { promptTokens: 1, completionTokens: 1, totalTokens: 2 };
    expect(r.costOf(usage)).toBe('1');
    expect(r.costOf({ ...usage })).toBe('2');
    r.useDeployment({ ...deployment, id: 'd2' }, pricer);
    expect(r.costOf(usage)).toBe('3');
  });

  it('costs 0 without usage or without a price', () => {
    const { recorder: r } = recorder();
    expect(r.costOf({ promptTokens: 1, completionTokens: 1, totalTokens: 2 })).toBe('0');
    r.useDeployment(deployment, () => '5');
    expect(r.costOf(undefined)).toBe('0');
  });
});

describe('RequestLogRecorder event', () => {
  it('copies every field known at the start into the event (Required<> makes a new field fail to compile here)', () => {
    const base: Required<RecordedRequest> = {
      callId: 'c9',
      clientCallId: 'client-9',
      keyHash: 'hash',
      route: '/v1/chat/completions',
      requestedModel: 'gpt',
      stream: true,
      userId: 'u1',
      teamId: 't1',
      organizationId: 'o1',
      endUserId: 'e1',
      tags: ['a', 'b'],
    };
    const events: RequestLogEvent[] = [];
    const r = new RequestLogRecorder({ enqueue: (event: RequestLogEvent) => void events.push(event) } as never, base);
    r.useDeployment(deployment, () => '0.5');
    r.failed({ status: 429, type: 'rate_limit_error', message: 'slow down' } as never, { promptTokens: 3, completionTokens: 4, totalTokens: 7 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ...base, deploymentId: 'd1', provider: 'fake', status: 429, totalTokens: 7, spend: '0.5', errorType: 'rate_limit_error', errorMessage: 'slow down' });
    expect(Object.keys(events[0])).toEqual(expect.arrayContaining(Object.keys(base)));
  });
});

describe('RequestLogRecorder finish listeners', () => {
  it('returns what the answer must wait for: nothing, one listener promise, or all of them', async () => {
    const { recorder: plain } = recorder();
    plain.onFinish(() => undefined);
    expect(plain.succeeded(undefined)).toBeUndefined();

    const { recorder: r } = recorder();
    const order: string[] = [];
    r.onFinish(() => new Promise<void>((resolve) => setTimeout(() => (order.push('first'), resolve()), 5)));
    r.onFinish(() => undefined);
    r.onFinish(() => new Promise<void>((resolve) => setImmediate(() => (order.push('second'), resolve()))));
    const wait = r.succeeded(undefined);
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    expect(order.sort()).toEqual(['first', 'second']);
    expect(r.failed({ status: 500 } as never)).toBeUndefined(); // a second outcome is ignored
  });
});
