import { createPrismaClient, type PrismaClient } from '@tollgate/database';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { httpCaller } from '../support/http-call';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';

/** Three fake model groups: one in the access group `group-a`, so keys and teams can name the group. */
const CONFIG = `
model_list:
  - model_name: fake-chat
    litellm_params:
      model: fake/chat-model
  - model_name: fake-other
    litellm_params:
      model: fake/other-model
  - model_name: fake-grouped
    litellm_params:
      model: fake/grouped-model
    model_info:
      access_groups: ["group-a"]
general_settings:
  master_key: ${MASTER_KEY}
`;

export interface HttpAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** A gateway on its own fresh database, with a Prisma client for seeding and checking rows. */
export interface KeysKit {
  gateway: TestGateway;
  db: PrismaClient;
  call(method: 'GET' | 'POST', path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer>;
  /** One chat completion with `key`, as a client would send it. */
  chat(key: string, model?: string): Promise<HttpAnswer>;
  /** Generates a key with the master key and returns the issued key (fails the test otherwise). */
  generate(body?: Record<string, unknown>, asKey?: string): Promise<{ key: string; token: string } & Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startKeysKit(label: string): Promise<KeysKit> {
  const database: TestDatabase = await createTestDatabase(label);
  const gateway = await startTestGateway(CONFIG, { DATABASE_URL: database.url });
  const db = createPrismaClient(database.url, 2);
  const call: KeysKit['call'] = httpCaller(gateway.url, MASTER_KEY);

  return {
    gateway,
    db,
    call,
    chat: (key, model = 'fake-chat') => call('POST', '/v1/chat/completions', { key, body: { model, messages: [{ role: 'user', content: 'hi' }] } }),
    generate: async (body = {}, asKey = MASTER_KEY) => {
      const answer = await call('POST', '/key/generate', { key: asKey, body });
      if (answer.status !== 200) throw new Error(`key/generate failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    close: async () => {
      await db.$disconnect();
      await gateway.close();
      await database.drop();
    },
  };
}

/** Users, teams and organizations for authorization tests, written straight to the database. */
export async function seedTenancy(db: PrismaClient): Promise<void> {
  await db.organization.createMany({ data: [{ id: 'org-1', alias: 'Org One' }, { id: 'org-2', alias: 'Org Two' }] });
  await db.team.createMany({
    data: [
      { id: 'team-a', alias: 'A', organizationId: 'org-1', models: ['fake-chat', 'group-a'], maxBudget: 10 },
      { id: 'team-b', alias: 'B' },
    ],
  });
  await db.user.createMany({
    data: [
      { id: 'alice', role: 'internal_user' },
      { id: 'bob', role: 'internal_user' },
      { id: 'carol', role: 'internal_user' },
      { id: 'vera', role: 'proxy_admin_viewer' },
      { id: 'ivan', role: 'internal_user_viewer' },
      { id: 'root', role: 'proxy_admin' },
    ],
  });
  await db.teamMember.createMany({
    data: [
      { userId: 'alice', teamId: 'team-a', role: 'user' },
      { userId: 'bob', teamId: 'team-a', role: 'admin' },
      { userId: 'ivan', teamId: 'team-a', role: 'admin' },
    ],
  });
  await db.organizationMember.create({ data: { userId: 'carol', organizationId: 'org-2', role: 'internal_user' } });
}
