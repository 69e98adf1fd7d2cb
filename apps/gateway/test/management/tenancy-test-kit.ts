import { hashApiKey } from '@tollgate/auth';
import { createPrismaClient, type PrismaClient } from '@tollgate/database';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { httpCaller } from '../support/http-call';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';

/** Two fake model groups so model restrictions can be seen on real LLM requests. */
const CONFIG = `
model_list:
  - model_name: gpt-fake
    litellm_params:
      model: fake/chat-model
  - model_name: other
    litellm_params:
      model: fake/other-model
general_settings:
  master_key: ${MASTER_KEY}
`;

export interface Answer {
  status: number;
  body: any;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A gateway on its own fresh database, with a Prisma client to seed rows and check what the API wrote. */
export interface TenancyKit {
  gateway: TestGateway;
  db: PrismaClient;
  call(method: Method, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  /** One chat completion with `key` on `model`. */
  chat(key: string, model?: string): Promise<Answer>;
  /** A user with a global role and a key of their own (written straight to the database); returns the key. */
  user(id: string, role?: string, email?: string): Promise<string>;
  /** A key written straight to the database for a team (and optionally a user); returns the key. */
  key(owner: { teamId?: string; userId?: string; organizationId?: string }): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTenancyKit(label: string): Promise<TenancyKit> {
  const database: TestDatabase = await createTestDatabase(label);
  const gateway = await startTestGateway(CONFIG, { DATABASE_URL: database.url });
  const db = createPrismaClient(database.url, 2);
  const call: TenancyKit['call'] = httpCaller(gateway.url, MASTER_KEY);

  const key: TenancyKit['key'] = async (owner) => {
    const value = `sk-test-${label}-${++counter}-${Math.random().toString(36).slice(2, 10)}`;
    await db.virtualKey.create({
      data: { tokenHash: hashApiKey(value), keyName: `sk-...${value.slice(-4)}`, teamId: owner.teamId, userId: owner.userId, organizationId: owner.organizationId },
    });
    return value;
  };
  return {
    gateway,
    db,
    call,
    chat: (apiKey, model = 'gpt-fake') => call('POST', '/v1/chat/completions', { key: apiKey, body: { model, messages: [{ role: 'user', content: 'hi' }] } }),
    user: async (id, role = 'internal_user', email) => {
      await db.user.create({ data: { id, role, email } });
      return key({ userId: id });
    },
    key,
    close: async () => {
      await db.$disconnect();
      await gateway.close();
      await database.drop();
    },
  };
}

/** The audit rows written for one object, oldest first. */
export async function auditOf(db: PrismaClient, objectType: string, objectId: string) {
  return db.auditLog.findMany({ where: { objectType, objectId }, orderBy: { id: 'asc' } });
}
