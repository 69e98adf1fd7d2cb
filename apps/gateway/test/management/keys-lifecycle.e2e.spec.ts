import { hashApiKey } from '@tollgate/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeysKit, type KeysKit } from './keys-test-kit';

/** What block, expiry, aliases, route limits, deletion and regeneration do to the next LLM request. */
let kit: KeysKit;
beforeAll(async () => {
  kit = await startKeysKit('keys-lifecycle');
});
afterAll(async () => kit?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the effect of key changes on the LLM route', () => {
  it('a blocked key is refused at once, and works again once unblocked', async () => {
    const issued = await kit.generate({});
    expect((await kit.chat(issued.key)).status).toBe(200);
    const blocked = await kit.call('POST', '/key/block', { body: { key: issued.key } });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ token: issued.token, blocked: true });
    const refused = await kit.chat(issued.key);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/blocked/);
    const unblocked = await kit.call('POST', '/key/unblock', { body: { key: issued.token } });
    expect(unblocked.body.blocked).toBe(false);
    expect((await kit.chat(issued.key)).status).toBe(200);
    expect((await kit.call('POST', '/key/block', { body: { key: 'sk-nobody-0000' } })).status).toBe(404);
    expect((await kit.call('POST', '/key/block', { body: {} })).body.error.param).toBe('key');
  });

  it('an expired key is refused', async () => {
    const before = Date.now();
    const issued = await kit.generate({ duration: '1s' });
    expect(Date.parse(issued.expires as string)).toBeGreaterThanOrEqual(before + 1000 - 5);
    expect(Date.parse(issued.expires as string)).toBeLessThanOrEqual(Date.now() + 1000);
    // The gateway is warm by now (the test above), so this call lands well inside the key's one second.
    expect((await kit.chat(issued.key)).status).toBe(200);
    await sleep(1_100);
    const refused = await kit.chat(issued.key);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/expired/);
  });

  it('a model alias sends the request to the real model', async () => {
    const issued = await kit.generate({ models: ['fake-other'], aliases: { 'my-alias': 'fake-other' } });
    const answer = await kit.chat(issued.key, 'my-alias');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-litellm-model-group')).toBe('fake-other');
    expect(answer.body.choices[0].message.content).toContain('other-model');
  });

  it('allowed_routes limits the key to the routes named', async () => {
    const issued = await kit.generate({ allowed_routes: ['/v1/chat/completions'] });
    expect((await kit.chat(issued.key)).status).toBe(200);
    const models = await kit.call('GET', '/v1/models', { key: issued.key });
    expect(models.status).toBe(403);
    expect(models.body.error.type).toBe('permission_error');
  });
});

describe('POST /key/delete', () => {
  it('deletes by key and by alias; deleted keys are refused at once', async () => {
    const byKey = await kit.generate({});
    const byAlias = await kit.generate({ key_alias: 'delete-me' });
    expect((await kit.chat(byKey.key)).status).toBe(200);
    const answer = await kit.call('POST', '/key/delete', { body: { keys: [byKey.key], key_aliases: ['delete-me'] } });
    expect(answer.status).toBe(200);
    expect(answer.body.deleted_keys.sort()).toEqual([byKey.token, byAlias.token].sort());
    expect((await kit.chat(byKey.key)).status).toBe(401);
    expect((await kit.chat(byAlias.key)).status).toBe(401);
    expect(await kit.db.virtualKey.count({ where: { tokenHash: { in: [byKey.token, byAlias.token] } } })).toBe(0);
  });

  it('deletes nothing when one named key is unknown (404), and needs a key or alias (400)', async () => {
    const kept = await kit.generate({});
    const answer = await kit.call('POST', '/key/delete', { body: { keys: [kept.key, 'sk-unknown-5678'] } });
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toContain('sk-...5678');
    expect((await kit.chat(kept.key)).status).toBe(200);
    expect((await kit.call('POST', '/key/delete', { body: { key_aliases: ['no-such-alias'] } })).status).toBe(404);
    const empty = await kit.call('POST', '/key/delete', { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.param).toBe('keys');
  });
});

describe('regenerate', () => {
  it('POST /key/{key}/regenerate: the old key stops at once, the new one works, settings and spend stay', async () => {
    const issued = await kit.generate({ key_alias: 'rotating', models: ['fake-chat'], max_budget: 7 });
    await kit.db.virtualKey.update({ where: { tokenHash: issued.token }, data: { spend: 1.25 } });
    const answer = await kit.call('POST', `/key/${issued.key}/regenerate`, { body: {} });
    expect(answer.status).toBe(200);
    expect(answer.body.key).toMatch(/^sk-[A-Za-z0-9_-]{32}$/);
    expect(answer.body).toMatchObject({ token: hashApiKey(answer.body.key), key_alias: 'rotating', models: ['fake-chat'], max_budget: 7, spend: 1.25 });
    expect((await kit.chat(issued.key)).status).toBe(401);
    expect((await kit.chat(answer.body.key)).status).toBe(200);
  });

  it('POST /key/regenerate with a chosen new key and changed settings', async () => {
    const issued = await kit.generate({});
    const answer = await kit.call('POST', '/key/regenerate', { body: { key: issued.token, new_key: 'sk-rotated-by-hand', rpm_limit: 9 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ key: 'sk-rotated-by-hand', token: hashApiKey('sk-rotated-by-hand'), rpm_limit: 9, key_name: 'sk-...hand' });
    expect((await kit.chat(issued.key)).status).toBe(401);
    expect((await kit.chat('sk-rotated-by-hand')).status).toBe(200);
  });

  it('refuses grace_period (no storage for old keys yet), a bad new_key, and unknown keys', async () => {
    const issued = await kit.generate({});
    const grace = await kit.call('POST', '/key/regenerate', { body: { key: issued.key, grace_period: '24h' } });
    expect(grace.status).toBe(400);
    expect(grace.body.error.param).toBe('grace_period');
    const badNew = await kit.call('POST', '/key/regenerate', { body: { key: issued.key, new_key: 'not-sk' } });
    expect(badNew.body.error.param).toBe('new_key');
    expect((await kit.call('POST', '/key/regenerate', { body: {} })).body.error.param).toBe('key');
    expect((await kit.call('POST', '/key/sk-unknown-4321/regenerate', { body: {} })).status).toBe(404);
    expect((await kit.chat(issued.key)).status).toBe(200);
  });
});
