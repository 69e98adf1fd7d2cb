import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenancy, startKeysKit, type KeysKit } from './keys-test-kit';

/** Who may do what with keys, by global role, team role and ownership. */
let kit: KeysKit;
const keys: Record<string, { key: string; token: string }> = {};

beforeAll(async () => {
  kit = await startKeysKit('keys-access');
  await seedTenancy(kit.db);
  for (const user of ['alice', 'bob', 'carol', 'vera', 'ivan', 'root']) keys[user] = await kit.generate({ user_id: user });
  keys.keyless = await kit.generate({});
  keys.aliceTeam = await kit.generate({ user_id: 'alice', team_id: 'team-a' });
  // Blocking the key one calls with would lock the caller out; self-management is shown on a second key.
  keys.aliceSpare = await kit.generate({ user_id: 'alice' });
});
afterAll(async () => kit?.close());

const as = (who: string) => keys[who].key;

/** Every key write a caller might attempt on `target`, with the status each answers. */
async function writeStatuses(who: string, target: { key: string; token: string }) {
  const key = as(who);
  return {
    update: (await kit.call('POST', '/key/update', { key, body: { key: target.token, metadata: { by: who } } })).status,
    block: (await kit.call('POST', '/key/block', { key, body: { key: target.token } })).status,
    unblock: (await kit.call('POST', '/key/unblock', { key, body: { key: target.token } })).status,
    info: (await kit.call('GET', `/key/info?key=${target.token}`, { key })).status,
  };
}

describe('a key without a user', () => {
  it('may read only itself', async () => {
    const own = await kit.call('GET', '/key/info', { key: as('keyless') });
    expect(own.status).toBe(200);
    expect(own.body.key).toBe(keys.keyless.token);
    expect((await kit.call('GET', `/key/info?key=${as('keyless')}`, { key: as('keyless') })).status).toBe(200);
    expect((await kit.call('GET', `/key/info?key=${keys.alice.token}`, { key: as('keyless') })).status).toBe(403);
  });

  it('gets 403 on every other key route, its own key included', async () => {
    const key = as('keyless');
    const answers = await Promise.all([
      kit.call('GET', '/key/list', { key }),
      kit.call('POST', '/key/generate', { key, body: {} }),
      kit.call('POST', '/key/update', { key, body: { key, metadata: {} } }),
      kit.call('POST', '/key/block', { key, body: { key } }),
      kit.call('POST', '/key/delete', { key, body: { keys: [key] } }),
      kit.call('POST', '/key/regenerate', { key, body: { key } }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.type).toBe('permission_error');
    }
    expect((await kit.chat(key)).status).toBe(200);
  });
});

describe('proxy_admin and proxy_admin_viewer users', () => {
  it('a proxy_admin user manages anyone’s keys', async () => {
    const made = await kit.call('POST', '/key/generate', { key: as('root'), body: { user_id: 'carol', team_id: 'team-b' } });
    expect(made.status).toBe(200);
    expect(await writeStatuses('root', keys.carol)).toEqual({ update: 200, block: 200, unblock: 200, info: 200 });
  });

  it('a proxy_admin_viewer reads every key and changes none', async () => {
    expect(await writeStatuses('vera', keys.alice)).toEqual({ update: 403, block: 403, unblock: 403, info: 200 });
    const list = await kit.call('GET', '/key/list?size=100', { key: as('vera') });
    expect(list.body.total_count).toBe(await kit.db.virtualKey.count());
    const key = as('vera');
    expect((await kit.call('POST', '/key/generate', { key, body: {} })).status).toBe(403);
    expect((await kit.call('POST', '/key/delete', { key, body: { keys: [keys.alice.token] } })).status).toBe(403);
    expect((await kit.call('POST', '/key/regenerate', { key, body: { key: keys.alice.token } })).status).toBe(403);
  });
});

describe('an internal_user', () => {
  it('generates keys for themselves only', async () => {
    const own = await kit.generate({}, as('carol'));
    expect(own).toMatchObject({ user_id: 'carol', team_id: null, created_by: 'user:carol' });
    expect((await kit.chat(own.key)).status).toBe(200);
    const forOther = await kit.call('POST', '/key/generate', { key: as('carol'), body: { user_id: 'alice' } });
    expect(forOther.status).toBe(403);
    expect(forOther.body.error.message).toMatch(/only for yourself/);
  });

  it('generates team keys for their teams, within the team’s models and budget', async () => {
    const teamKey = await kit.generate({ team_id: 'team-a', models: ['fake-chat'], max_budget: 10 }, as('alice'));
    expect(teamKey).toMatchObject({ user_id: 'alice', team_id: 'team-a', organization_id: 'org-1' });
    expect((await kit.chat(teamKey.key)).status).toBe(200);
    // An access group the team names, and a model inside it, are both within the team's models.
    expect((await kit.call('POST', '/key/generate', { key: as('alice'), body: { team_id: 'team-a', models: ['group-a'] } })).status).toBe(200);
    expect((await kit.call('POST', '/key/generate', { key: as('alice'), body: { team_id: 'team-a', models: ['fake-grouped'] } })).status).toBe(200);

    const beyondModels = await kit.call('POST', '/key/generate', { key: as('alice'), body: { team_id: 'team-a', models: ['fake-chat', 'fake-other'] } });
    expect(beyondModels.status).toBe(403);
    expect(beyondModels.body.error.message).toContain('"fake-other"');
    const beyondBudget = await kit.call('POST', '/key/generate', { key: as('alice'), body: { team_id: 'team-a', max_budget: 10.01 } });
    expect(beyondBudget.status).toBe(403);
    expect(beyondBudget.body.error.message).toMatch(/above the max_budget of team "team-a"/);
  });

  it('may not use teams, organizations or budgets that are not theirs', async () => {
    const key = as('alice');
    expect((await kit.call('POST', '/key/generate', { key, body: { team_id: 'team-b' } })).status).toBe(403);
    expect((await kit.call('POST', '/key/generate', { key, body: { organization_id: 'org-2' } })).status).toBe(403);
    expect((await kit.call('POST', '/key/generate', { key: as('carol'), body: { organization_id: 'org-2' } })).status).toBe(200);
    await kit.db.budget.create({ data: { id: 'generous', maxBudget: 1000 } });
    expect((await kit.call('POST', '/key/generate', { key, body: { budget_id: 'generous' } })).status).toBe(403);
  });

  it('manages their own keys but not other people’s', async () => {
    // Unblocking loosens the key: owners may block it but only a proxy admin unblocks it.
    expect(await writeStatuses('alice', keys.aliceSpare)).toEqual({ update: 200, block: 200, unblock: 403, info: 200 });
    expect(await writeStatuses('alice', keys.bob)).toEqual({ update: 403, block: 403, unblock: 403, info: 403 });
    expect((await kit.call('POST', '/key/delete', { key: as('alice'), body: { keys: [keys.bob.token] } })).status).toBe(403);
    expect((await kit.call('POST', '/key/regenerate', { key: as('alice'), body: { key: keys.bob.token } })).status).toBe(403);
  });

  it('may not move a key to another user or team, or beyond its team’s models', async () => {
    const key = as('alice');
    expect((await kit.call('POST', '/key/update', { key, body: { key: keys.alice.token, user_id: 'bob' } })).status).toBe(403);
    expect((await kit.call('POST', '/key/update', { key, body: { key: keys.aliceTeam.token, team_id: 'team-b' } })).status).toBe(403);
    expect((await kit.call('POST', '/key/update', { key, body: { key: keys.aliceTeam.token, models: ['fake-other'] } })).status).toBe(403);
    expect((await kit.call('POST', '/key/update', { key, body: { key: keys.aliceTeam.token, models: ['fake-chat'] } })).status).toBe(200);
  });

  it('lists only their own keys', async () => {
    const list = await kit.call('GET', '/key/list?return_full_object=true&size=100', { key: as('alice') });
    expect(list.status).toBe(200);
    expect(list.body.total_count).toBeGreaterThan(1);
    expect(new Set(list.body.keys.map((k: { user_id: string }) => k.user_id))).toEqual(new Set(['alice']));
    const filtered = await kit.call('GET', '/key/list?user_id=bob', { key: as('alice') });
    expect(filtered.body.total_count).toBe(0);
  });
});

describe('a team admin', () => {
  it('may narrow a team key but never loosen what an administrator set', async () => {
    const limited = await kit.generate({ team_id: 'team-a', models: ['gpt-fake'], rpm_limit: 10, max_budget: 5 });
    const raise = await kit.call('POST', '/key/update', { key: as('bob'), body: { key: limited.token, rpm_limit: 1000 } });
    expect(raise.status).toBe(403);
    expect(raise.body.error.message).toContain('rpm_limit');
    const widen = await kit.call('POST', '/key/update', { key: as('bob'), body: { key: limited.token, models: [] } });
    expect(widen.status).toBe(403);
    expect((await kit.call('POST', '/key/update', { key: as('bob'), body: { key: limited.token, rpm_limit: 5, max_budget: 1 } })).status).toBe(200);
  });

  it('manages every key of their team', async () => {
    expect(await writeStatuses('bob', keys.aliceTeam)).toEqual({ update: 200, block: 200, unblock: 403, info: 200 });
    const rotated = await kit.call('POST', '/key/regenerate', { key: as('bob'), body: { key: keys.aliceTeam.token } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.user_id).toBe('alice');
    keys.aliceTeam = rotated.body;
  });

  it('but not the personal keys of team members', async () => {
    expect(await writeStatuses('bob', keys.alice)).toEqual({ update: 403, block: 403, unblock: 403, info: 403 });
  });

  it('lists their own and their team’s keys', async () => {
    const list = await kit.call('GET', '/key/list?return_full_object=true&size=100', { key: as('bob') });
    const tokens = list.body.keys.map((k: { token: string }) => k.token);
    expect(tokens).toContain(keys.bob.token);
    expect(tokens).toContain(keys.aliceTeam.token);
    expect(tokens).not.toContain(keys.alice.token);
    for (const k of list.body.keys) expect(k.user_id === 'bob' || k.team_id === 'team-a').toBe(true);
  });

  it('deletes a team key', async () => {
    const doomed = await kit.generate({ team_id: 'team-a' }, as('alice'));
    expect((await kit.call('POST', '/key/delete', { key: as('bob'), body: { keys: [doomed.token] } })).status).toBe(200);
    expect((await kit.chat(doomed.key)).status).toBe(401);
  });
});

describe('an internal_user_viewer', () => {
  it('reads only their own keys, even as a team admin, and changes nothing', async () => {
    expect((await kit.call('GET', '/key/info', { key: as('ivan') })).status).toBe(200);
    expect(await writeStatuses('ivan', keys.aliceTeam)).toEqual({ update: 403, block: 403, unblock: 403, info: 403 });
    expect(await writeStatuses('ivan', keys.ivan)).toEqual({ update: 403, block: 403, unblock: 403, info: 200 });
    const list = await kit.call('GET', '/key/list?return_full_object=true', { key: as('ivan') });
    expect(list.body.keys.map((k: { token: string }) => k.token)).toEqual([keys.ivan.token]);
    expect((await kit.call('POST', '/key/generate', { key: as('ivan'), body: {} })).status).toBe(403);
  });
});
