import { describe, expect, it } from 'vitest';
import type { RequestLogEvent } from './request-log-event';
import { type RequestLogRow, RequestLogWriter, toRow } from './request-log-writer';

const full: RequestLogEvent = {
  callId: 'call-1',
  startedAt: Date.UTC(2025, 4, 6, 7, 8, 9, 123),
  endedAt: Date.UTC(2025, 4, 6, 7, 8, 10, 456),
  keyHash: 'a'.repeat(64),
  requestedModel: 'gpt',
  deploymentId: 'dep-1',
  provider: 'openai',
  upstreamModel: 'gpt-4o',
  apiBase: 'https://api.example.com/v1',
  route: '/v1/chat/completions',
  stream: true,
  status: 200,
  promptTokens: 10,
  completionTokens: 20,
  totalTokens: 30,
  latencyMs: 1333.4,
  ttftMs: 250.6,
  errorType: 'api_error',
  errorMessage: 'partial failure',
};

const minimal: RequestLogEvent = {
  callId: 'call-2',
  startedAt: 0,
  endedAt: 5,
  keyHash: 'anonymous',
  requestedModel: 'nope',
  route: '/chat/completions',
  stream: false,
  status: 404,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  latencyMs: 5,
};

describe('toRow', () => {
  it('turns epoch milliseconds into Dates and rounds durations', () => {
    const row = toRow(full);
    expect(row.startedAt).toBeInstanceOf(Date);
    expect(row.startedAt.toISOString()).toBe('2025-05-06T07:08:09.123Z');
    expect(row.endedAt.toISOString()).toBe('2025-05-06T07:08:10.456Z');
    expect(row.latencyMs).toBe(1333);
    expect(row.ttftMs).toBe(251);
  });

  it('copies every other field as it is', () => {
    expect(toRow(full)).toMatchObject({
      callId: 'call-1',
      keyHash: 'a'.repeat(64),
      requestedModel: 'gpt',
      deploymentId: 'dep-1',
      provider: 'openai',
      upstreamModel: 'gpt-4o',
      apiBase: 'https://api.example.com/v1',
      route: '/v1/chat/completions',
      stream: true,
      status: 200,
      promptTokens: 10,
      completionTokens: 20,
      totalTokens: 30,
      errorType: 'api_error',
      errorMessage: 'partial failure',
    });
  });

  it('copies who the spend is charged to, and keeps each tag once', () => {
    const row = toRow({ ...minimal, userId: 'u1', teamId: 't1', organizationId: 'o1', endUserId: 'c1', tags: ['a', 'b', 'a', '', 'x\u0000'] });
    expect(row).toMatchObject({ userId: 'u1', teamId: 't1', organizationId: 'o1', endUserId: 'c1', tags: ['a', 'b', 'x'] });
    expect(toRow({ ...minimal, tags: [] }).tags).toBeNull();
    expect(toRow({ ...minimal, tags: [''] }).tags).toBeNull();
  });

  it('stores absent optional fields as null, not undefined', () => {
    const row = toRow(minimal);
    const nullable: Array<keyof RequestLogRow> = [
      'deploymentId', 'provider', 'upstreamModel', 'apiBase', 'ttftMs', 'errorType', 'errorMessage',
      'userId', 'teamId', 'organizationId', 'endUserId', 'tags',
    ];
    for (const key of nullable) expect(row[key], key).toBeNull();
    expect(row.startedAt.getTime()).toBe(0);
  });

  it('keeps a time to first token of zero', () => {
    expect(toRow({ ...minimal, ttftMs: 0 }).ttftMs).toBe(0);
  });

  it('truncates long error messages to 2000 characters', () => {
    const row = toRow({ ...minimal, errorMessage: `${'e'.repeat(1999)}XYZ` });
    expect(row.errorMessage).toHaveLength(2000);
    expect(row.errorMessage).toBe(`${'e'.repeat(1999)}X`);
    expect(toRow({ ...minimal, errorMessage: 'short' }).errorMessage).toBe('short');
  });
});

describe('RequestLogWriter', () => {
  function fakeDatabase(newRows: number, failures: unknown[] = []) {
    const calls: Array<{ query: string; values: unknown[][] }> = [];
    const db = {
      $queryRawUnsafe: async <T>(query: string, ...values: unknown[]): Promise<T> => {
        calls.push({ query, values: values as unknown[][] });
        const failure = failures.shift();
        if (failure) throw failure;
        return [{ inserted: newRows }] as T;
      },
    };
    return { db, calls };
  }

  const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

  it('writes a batch in one statement, its rows as one JSON parameter, each row its values in column order', async () => {
    const { db, calls } = fakeDatabase(2);
    await new RequestLogWriter(db).write([full, minimal]);
    expect(calls).toHaveLength(1);
    const columns = [...(/INSERT INTO "request_logs" \(([^)]*)\)/.exec(calls[0].query)?.[1] ?? '').matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    const rows = [toRow(full), toRow(minimal)];
    expect(columns.map(camel).sort()).toEqual(Object.keys(rows[0]).sort());
    expect(calls[0].values).toHaveLength(1);
    const sent = JSON.parse(calls[0].values[0] as unknown as string) as unknown[][];
    expect(sent).toHaveLength(2);
    sent.forEach((values, index) => {
      expect(values).toHaveLength(columns.length);
      columns.forEach((column, position) => {
        const value = rows[index][camel(column) as keyof RequestLogRow];
        expect(values[position], column).toEqual(value instanceof Date ? value.toISOString() : value);
        // The statement reads each column from the position it was sent at.
        expect(calls[0].query, column).toMatch(new RegExp(`e->>?${position}\\b[^,]*AS "${column}"`));
      });
    });
  });

  it('skips call ids already written, so a replayed batch creates no duplicates', async () => {
    const { db, calls } = fakeDatabase(0);
    expect(await new RequestLogWriter(db).write([full])).toBe(0);
    expect(calls[0].query).toMatch(/ON CONFLICT \("call_id"\) DO NOTHING/);
  });

  it('uses the same statement text whatever the batch size', async () => {
    const { db, calls } = fakeDatabase(1);
    const writer = new RequestLogWriter(db);
    await writer.write([full]);
    await writer.write([full, minimal, { ...minimal, callId: 'call-3' }]);
    expect(calls[1].query).toBe(calls[0].query);
  });

  it('adds spend only from the rows the statement inserted, so a replayed batch adds nothing', async () => {
    const { db, calls } = fakeDatabase(0);
    await new RequestLogWriter(db).write([full]);
    const query = calls[0].query;
    expect(query).toMatch(/RETURNING [^)]*"spend"/);
    for (const table of ['virtual_keys', 'users', 'teams', 'organizations', 'team_members', 'end_users', 'daily_spend']) {
      expect(query, table).toContain(`"${table}"`);
    }
    // Every total reads the inserted rows, never the input.
    expect(query.match(/FROM "input"/g)).toHaveLength(1);
  });

  it('runs the statement again after a deadlock, and gives up on other errors', async () => {
    const deadlock = Object.assign(new Error('Raw query failed'), { meta: { code: '40P01', message: 'deadlock detected' } });
    const retried = fakeDatabase(1, [deadlock]);
    expect(await new RequestLogWriter(retried.db).write([full])).toBe(1);
    expect(retried.calls).toHaveLength(2);

    const broken = fakeDatabase(1, [new Error('relation does not exist')]);
    await expect(new RequestLogWriter(broken.db).write([full])).rejects.toThrow('relation does not exist');
    expect(broken.calls).toHaveLength(1);

    const stuck = fakeDatabase(1, [deadlock, deadlock, deadlock]);
    await expect(new RequestLogWriter(stuck.db, 3).write([full])).rejects.toBe(deadlock);
    expect(stuck.calls).toHaveLength(3);
  });

  it('returns how many rows were new', async () => {
    const { db } = fakeDatabase(1);
    expect(await new RequestLogWriter(db).write([full, minimal])).toBe(1);
  });

  it('does not touch the database for an empty batch', async () => {
    const { db, calls } = fakeDatabase(0);
    expect(await new RequestLogWriter(db).write([])).toBe(0);
    expect(calls).toEqual([]);
  });
});

describe('toRow keeps every row insertable', () => {
  const base = {
    callId: 'c1',
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_000_010,
    keyHash: 'master',
    requestedModel: 'm',
    route: '/v1/chat/completions',
    stream: false,
    status: 200,
    promptTokens: 1,
    completionTokens: 1,
    totalTokens: 2,
    latencyMs: 10,
  };

  it('removes NUL characters (PostgreSQL text rejects them) and caps caller-supplied text', () => {
    const row = toRow({ ...base, requestedModel: `x\u0000y${'z'.repeat(500)}`, clientCallId: 'a\u0000b' });
    expect(row.requestedModel.startsWith('xy')).toBe(true);
    expect(row.requestedModel).toHaveLength(256);
    expect(row.clientCallId).toBe('ab');
  });

  it('replaces lone UTF-16 surrogates (JSON input rejects them), also one left by the length cap', () => {
    const row = toRow({ ...base, requestedModel: 'a\ud800b', errorMessage: 'x\udc00', tags: ['t\ud83d'], clientCallId: `${'c'.repeat(255)}\ud83d\ude00` });
    expect(row.requestedModel).toBe('a\ufffdb');
    expect(row.errorMessage).toBe('x\ufffd');
    expect(row.tags).toEqual(['t\ufffd']);
    expect(row.clientCallId).toBe(`${'c'.repeat(255)}\ufffd`);
    // A well-formed pair is kept as it is.
    expect(toRow({ ...base, requestedModel: 'smile \ud83d\ude00' }).requestedModel).toBe('smile \ud83d\ude00');
  });

  it('clamps counts from upstreams into the int4 range', () => {
    const row = toRow({ ...base, promptTokens: 1e12, completionTokens: -5, totalTokens: Number.NaN, latencyMs: 12.6 });
    expect([row.promptTokens, row.completionTokens, row.totalTokens, row.latencyMs]).toEqual([2_147_483_647, 0, 0, 13]);
  });
});

describe('toRow spend', () => {
  const event = {
    callId: 'c2',
    startedAt: 1,
    endedAt: 2,
    keyHash: 'k',
    requestedModel: 'm',
    route: '/r',
    stream: false,
    status: 200,
    promptTokens: 1,
    completionTokens: 1,
    totalTokens: 2,
    latencyMs: 1,
  };

  it('keeps an exact decimal USD string and turns anything else into 0', () => {
    expect(toRow({ ...event, spend: '0.000000150000' }).spend).toBe('0.000000150000');
    expect(toRow({ ...event, spend: '12.5' }).spend).toBe('12.5');
    expect(toRow({ ...event, spend: '1e-7' }).spend).toBe('0');
    expect(toRow({ ...event, spend: '-3' }).spend).toBe('0');
    expect(toRow(event).spend).toBe('0');
  });
});
