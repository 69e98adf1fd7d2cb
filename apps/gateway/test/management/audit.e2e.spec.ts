import { hashApiKey } from '@tollgate/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeysKit, type KeysKit } from './keys-test-kit';

let kit: KeysKit;
let viewerKey: string;
let internalKey: string;
let internalViewerKey: string;
let issuedKey: string;
let betweenWrites: string;

async function ok(path: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const answer = await kit.call('POST', path, { body, headers });
  if (answer.status !== 200) throw new Error(`${path} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

beforeAll(async () => {
  kit = await startKeysKit('audit-e2e');
  await kit.db.user.createMany({
    data: [
      { id: 'viewer', role: 'proxy_admin_viewer' },
      { id: 'worker', role: 'internal_user' },
      { id: 'watcher', role: 'internal_user_viewer' },
    ],
  });
  viewerKey = (await kit.generate({ user_id: 'viewer' })).key;
  internalKey = (await kit.generate({ user_id: 'worker' })).key;
  internalViewerKey = (await kit.generate({ user_id: 'watcher' })).key;
  await ok('/budget/new', { budget_id: 'b-1', max_budget: 5 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  betweenWrites = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await ok('/budget/update', { budget_id: 'b-1', max_budget: 6 }, { 'litellm-changed-by': 'finance-bot' });
  await ok('/customer/new', { user_id: 'cust-1' });
  issuedKey = (await ok('/user/new', { user_id: 'audited-user' })).key;
});

afterAll(async () => {
  await kit?.close();
});

describe('GET /audit', () => {
  it('lists changes newest first in LiteLLM-style rows', async () => {
    const answer = await kit.call('GET', '/audit');
    expect(answer.status).toBe(200);
    const rows = answer.body.audit_logs;
    expect(answer.body).toMatchObject({ page: 1, page_size: 50, total: rows.length, total_pages: 1 });
    expect(rows[0]).toEqual({
      id: expect.any(Number),
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      actor: 'master',
      action: 'create',
      object_type: 'key',
      object_id: hashApiKey(issuedKey),
      before_value: null,
      after_value: expect.objectContaining({ user_id: 'audited-user' }),
    });
    const times = rows.map((r: any) => Date.parse(r.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const ids = rows.map((r: any) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('never shows a key or its hash inside the recorded values', async () => {
    const answer = await kit.call('GET', '/audit?page_size=200');
    const values = JSON.stringify(answer.body.audit_logs.map((r: any) => [r.before_value, r.after_value]));
    expect(values).not.toContain(issuedKey);
    expect(values).not.toContain(hashApiKey(issuedKey));
  });

  it('filters by object, actor, action and time', async () => {
    const budget = await kit.call('GET', '/audit?object_type=budget&object_id=b-1');
    expect(budget.body.audit_logs.map((r: any) => r.action)).toEqual(['update', 'create']);
    expect(budget.body.audit_logs[0]).toMatchObject({ actor: 'finance-bot', before_value: expect.objectContaining({ maxBudget: 5 }), after_value: expect.objectContaining({ maxBudget: 6 }) });
    const byActor = await kit.call('GET', '/audit?actor=finance-bot');
    expect(byActor.body.total).toBe(1);
    const creates = await kit.call('GET', '/audit?action=create&object_type=end_user');
    expect(creates.body.audit_logs.map((r: any) => r.object_id)).toEqual(['cust-1']);
    const before = await kit.call('GET', `/audit?end=${encodeURIComponent(betweenWrites)}&object_type=budget`);
    expect(before.body.audit_logs.map((r: any) => r.action)).toEqual(['create']);
    const after = await kit.call('GET', `/audit?start=${encodeURIComponent(betweenWrites)}&object_type=budget`);
    expect(after.body.audit_logs.map((r: any) => r.action)).toEqual(['update']);
    const none = await kit.call('GET', '/audit?object_type=organization');
    expect(none.body).toMatchObject({ audit_logs: [], total: 0, total_pages: 0 });
  });

  it('pages through the log', async () => {
    const all = (await kit.call('GET', '/audit')).body;
    const first = (await kit.call('GET', '/audit?page=1&page_size=2')).body;
    const second = (await kit.call('GET', '/audit?page=2&page_size=2')).body;
    expect(first).toMatchObject({ page: 1, page_size: 2, total: all.total, total_pages: Math.ceil(all.total / 2) });
    expect([...first.audit_logs, ...second.audit_logs].map((r: any) => r.id)).toEqual(all.audit_logs.slice(0, 4).map((r: any) => r.id));
  });

  it.each([
    ['start=yesterday', 'start'],
    ['end=2026-13-45', 'end'],
    ['start=2026-02-01&end=2026-01-01', 'start'],
    ['page=0', 'page'],
    ['page_size=500', 'page_size'],
    ['page=two', 'page'],
  ])('rejects %s with a 400 naming %s', async (query, param) => {
    const answer = await kit.call('GET', `/audit?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('is readable by proxy admins and their viewers only', async () => {
    expect((await kit.call('GET', '/audit', { key: viewerKey })).status).toBe(200);
    for (const key of [internalKey, internalViewerKey]) {
      const answer = await kit.call('GET', '/audit', { key });
      expect(answer.status).toBe(403);
      expect(answer.body.error.type).toBe('permission_error');
    }
    expect((await kit.call('GET', '/audit', { key: 'sk-wrong' })).status).toBe(401);
  });
});
