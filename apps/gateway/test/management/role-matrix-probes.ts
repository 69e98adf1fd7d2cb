import { FOREIGN_KEY_OWNER, IDS, type Caller, type MatrixWorld } from './role-matrix-world';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One call to make for one matrix cell. */
export interface Probe {
  method: Method;
  path: string;
  body?: unknown;
  /** Call as this caller instead of the cell's (a throwaway one, for calls that would destroy the caller). */
  caller?: Caller;
  /**
   * For list routes, which answer 200 to everyone and leave out what the caller may not see: whether the
   * object the probe is about is in the answer. A 200 without it counts as refused.
   */
  listed?: (body: any) => boolean;
}

type MakeProbe = (world: MatrixWorld, caller: Caller) => Promise<Probe | undefined> | Probe | undefined;

/**
 * How to call one route on the caller's own object and on someone else's. `own` answers undefined when the
 * caller has no object of that kind (the master key owns nothing); routes without owners have no `own`.
 */
export interface RouteProbes {
  own?: MakeProbe;
  foreign: MakeProbe;
}

const call = (method: Method, path: string, body?: unknown): Probe => ({ method, path, body });
const post = (path: string, body: unknown) => call('POST', path, body);
const get = (path: string) => call('GET', path);
const q = encodeURIComponent;
const when = <T>(value: T | undefined, make: (value: T) => Probe | Promise<Probe>) => (value === undefined ? undefined : make(value));

// ---- keys -----------------------------------------------------------------------------------------------

/** A write on a key made for this probe: the caller's own (ownKeyOwner) or someone else's. */
function keyWrite(path: (token: string) => string, body: (token: string) => unknown, settings: Record<string, unknown> = {}): RouteProbes {
  return {
    own: (w, c) => when(w.ownKeyOwner(c), async (owner) => {
      const token = await w.freshKey({ ...owner, ...settings });
      return post(path(token), body(token));
    }),
    foreign: async (w) => {
      const token = await w.freshKey({ ...FOREIGN_KEY_OWNER, ...settings });
      return post(path(token), body(token));
    },
  };
}

const KEY_PROBES: Record<string, RouteProbes> = {
  'POST /key/generate': {
    // Members make keys for the team they belong to; everyone else for themselves.
    own: (w, c) => when(c.userId, (userId) => post('/key/generate', w.ownTeamOf(c.role) === IDS.ownTeam ? { team_id: IDS.ownTeam } : { user_id: userId })),
    foreign: () => post('/key/generate', FOREIGN_KEY_OWNER),
  },
  'POST /key/update': keyWrite(() => '/key/update', (token) => ({ key: token, metadata: { probe: true } })),
  'POST /key/delete': keyWrite(() => '/key/delete', (token) => ({ keys: [token] })),
  'POST /key/regenerate': keyWrite(() => '/key/regenerate', (token) => ({ key: token })),
  'POST /key/{key}/regenerate': keyWrite((token) => `/key/${token}/regenerate`, () => ({})),
  'POST /key/block': keyWrite(() => '/key/block', (token) => ({ key: token })),
  'POST /key/unblock': keyWrite(() => '/key/unblock', (token) => ({ key: token }), { blocked: true }),
  'GET /key/info': {
    own: (w, c) => when(w.ownKeys.get(c.role), (key) => get(`/key/info?key=${key.token}`)),
    foreign: (w) => get(`/key/info?key=${w.foreignKey.token}`),
  },
  'GET /key/list': {
    own: (w, c) => when(w.ownKeys.get(c.role), (key) => ({ ...get(`/key/list?key_alias=${q(key.alias)}`), listed: (body) => body.keys.includes(key.token) })),
    foreign: (w) => ({ ...get(`/key/list?key_alias=${q(w.foreignKey.alias)}`), listed: (body) => body.keys.includes(w.foreignKey.token) }),
  },
};

// ---- teams ----------------------------------------------------------------------------------------------

/** A change of a team made for this probe. */
function teamWrite(path: string, body: (teamId: string) => unknown): RouteProbes {
  return {
    own: async (w, c) => when(await w.freshTeam(c), (teamId) => post(path, body(teamId))),
    foreign: async (w) => post(path, body((await w.freshTeam('foreign')) as string)),
  };
}

/** A call on the caller's team (or someone else's); `body` may prepare what it needs (a member to remove). */
function onTeam(make: (w: MatrixWorld, teamId: string) => Probe | Promise<Probe>): RouteProbes {
  return { own: (w, c) => when(w.ownTeamOf(c.role), (teamId) => make(w, teamId)), foreign: (w) => make(w, IDS.foreignTeam) };
}

const TEAM_PROBES: Record<string, RouteProbes> = {
  'POST /team/new': {
    own: (w, c) => when(w.ownOrgOf(c.role), (organizationId) => post('/team/new', { organization_id: organizationId })),
    foreign: () => post('/team/new', { organization_id: IDS.foreignOrg }),
  },
  'POST /team/update': onTeam((_, teamId) => post('/team/update', { team_id: teamId, metadata: { probe: true } })),
  'POST /team/delete': teamWrite('/team/delete', (teamId) => ({ team_ids: [teamId] })),
  'POST /team/block': teamWrite('/team/block', (teamId) => ({ team_id: teamId })),
  'POST /team/unblock': teamWrite('/team/unblock', (teamId) => ({ team_id: teamId })),
  'GET /team/info': onTeam((_, teamId) => get(`/team/info?team_id=${teamId}`)),
  'GET /team/list': onTeam((_, teamId) => ({ ...get('/team/list'), listed: (body) => body.some((team: any) => team.team_id === teamId) })),
  'POST /team/member_add': onTeam((w, teamId) => post('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: w.unique('new-member') } })),
  'POST /team/member_delete': onTeam(async (w, teamId) => post('/team/member_delete', { team_id: teamId, user_id: await w.freshTeamMember(teamId) })),
  'POST /team/member_update': onTeam(async (w, teamId) => post('/team/member_update', { team_id: teamId, user_id: await w.freshTeamMember(teamId), role: 'admin' })),
};

// ---- organizations --------------------------------------------------------------------------------------

function onOrg(make: (w: MatrixWorld, organizationId: string) => Probe | Promise<Probe>): RouteProbes {
  return { own: (w, c) => when(w.ownOrgOf(c.role), (organizationId) => make(w, organizationId)), foreign: (w) => make(w, IDS.foreignOrg) };
}

function orgDelete(method: Method): RouteProbes {
  return {
    own: async (w, c) => when(await w.freshOrg(c), (organizationId) => call(method, '/organization/delete', { organization_ids: [organizationId] })),
    foreign: async (w) => call(method, '/organization/delete', { organization_ids: [await w.freshOrg('foreign')] }),
  };
}

const orgUpdate = (method: Method) => onOrg((_, organizationId) => call(method, '/organization/update', { organization_id: organizationId, metadata: { probe: true } }));
const orgMemberUpdate = (method: Method) =>
  onOrg(async (w, organizationId) =>
    call(method, '/organization/member_update', { organization_id: organizationId, user_id: await w.freshOrgMember(organizationId), role: 'internal_user_viewer' }),
  );
const orgMemberDelete = (method: Method) =>
  onOrg(async (w, organizationId) => call(method, '/organization/member_delete', { organization_id: organizationId, user_id: await w.freshOrgMember(organizationId) }));

const ORGANIZATION_PROBES: Record<string, RouteProbes> = {
  'POST /organization/new': { foreign: (w) => post('/organization/new', { organization_alias: w.unique('org') }) },
  'PATCH /organization/update': orgUpdate('PATCH'),
  'POST /organization/update': orgUpdate('POST'),
  'DELETE /organization/delete': orgDelete('DELETE'),
  'POST /organization/delete': orgDelete('POST'),
  'GET /organization/info': onOrg((_, organizationId) => get(`/organization/info?organization_id=${organizationId}`)),
  'GET /organization/list': onOrg((_, organizationId) => ({
    ...get('/organization/list'),
    listed: (body) => body.some((org: any) => org.organization_id === organizationId),
  })),
  'POST /organization/member_add': onOrg((w, organizationId) =>
    post('/organization/member_add', { organization_id: organizationId, member: { role: 'internal_user', user_id: w.unique('new-member') } }),
  ),
  'PATCH /organization/member_update': orgMemberUpdate('PATCH'),
  'POST /organization/member_update': orgMemberUpdate('POST'),
  'DELETE /organization/member_delete': orgMemberDelete('DELETE'),
  'POST /organization/member_delete': orgMemberDelete('POST'),
};

// ---- users ----------------------------------------------------------------------------------------------

const USER_PROBES: Record<string, RouteProbes> = {
  'POST /user/new': { foreign: (w) => post('/user/new', { user_id: w.unique('user'), auto_create_key: false }) },
  'POST /user/update': {
    own: (_, c) => when(c.userId, (userId) => post('/user/update', { user_id: userId, user_alias: 'probe' })),
    foreign: () => post('/user/update', { user_id: IDS.other, user_alias: 'probe' }),
  },
  'POST /user/delete': {
    // Deleting oneself would take the shared caller (and its key) away from every later probe.
    own: async (w, c) => when(c.userId, async () => {
      const throwaway = await w.newCaller(c.role);
      return { ...post('/user/delete', { user_ids: [throwaway.userId] }), caller: throwaway };
    }),
    foreign: async (w) => post('/user/delete', { user_ids: [await w.freshUser()] }),
  },
  'GET /user/info': {
    own: (_, c) => when(c.userId, (userId) => get(`/user/info?user_id=${userId}`)),
    foreign: () => get(`/user/info?user_id=${IDS.other}`),
  },
  'GET /user/list': { foreign: () => get('/user/list') },
};

// ---- customers, budgets, audit: objects without owners --------------------------------------------------

function customerProbes(prefix: string): Record<string, RouteProbes> {
  return {
    [`POST /${prefix}/new`]: { foreign: (w) => post(`/${prefix}/new`, { user_id: w.unique('customer') }) },
    [`POST /${prefix}/update`]: { foreign: () => post(`/${prefix}/update`, { user_id: IDS.customer, alias: 'probe' }) },
    [`POST /${prefix}/delete`]: { foreign: async (w) => post(`/${prefix}/delete`, { user_ids: [await w.freshCustomer()] }) },
    [`POST /${prefix}/block`]: { foreign: (w) => post(`/${prefix}/block`, { user_ids: [w.unique('customer')] }) },
    [`POST /${prefix}/unblock`]: { foreign: async (w) => post(`/${prefix}/unblock`, { user_ids: [await w.freshCustomer(true)] }) },
    [`GET /${prefix}/info`]: { foreign: () => get(`/${prefix}/info?end_user_id=${IDS.customer}`) },
    [`GET /${prefix}/list`]: { foreign: () => get(`/${prefix}/list`) },
  };
}

const BUDGET_PROBES: Record<string, RouteProbes> = {
  'POST /budget/new': { foreign: (w) => post('/budget/new', { budget_id: w.unique('budget'), max_budget: 1 }) },
  'POST /budget/update': { foreign: () => post('/budget/update', { budget_id: IDS.budget, max_budget: 10 }) },
  'POST /budget/delete': { foreign: async (w) => post('/budget/delete', { id: await w.freshBudget() }) },
  'POST /budget/info': { foreign: () => post('/budget/info', { budgets: [IDS.budget] }) },
  'GET /budget/info': { foreign: () => get(`/budget/info?budget_id=${IDS.budget}`) },
  'GET /budget/list': { foreign: () => get('/budget/list') },
};

// ---- spend ----------------------------------------------------------------------------------------------

/** Looks up a log written for the probe by its request id; listed or not is the verdict. */
async function spendLogLookup(logged: Promise<string>): Promise<Probe> {
  const requestId = await logged;
  return { ...get(`/spend/logs?request_id=${q(requestId)}`), listed: (body) => body.data.some((log: any) => log.request_id === requestId) };
}

const SPEND_PROBES: Record<string, RouteProbes> = {
  // A log of the caller's own key (charged as the key is), or of someone else's.
  'GET /spend/logs': {
    own: (w, c) => when(w.ownKeys.get(c.role), (key) => spendLogLookup(w.logRequest(key.token, w.ownKeyOwner(c)))),
    foreign: (w) => spendLogLookup(w.logRequest(w.foreignKey.token, FOREIGN_KEY_OWNER)),
  },
  'GET /global/spend': { foreign: () => get('/global/spend') },
  'GET /global/spend/report': { foreign: () => get('/global/spend/report?start_date=2026-01-01&end_date=2026-01-31&group_by=team') },
};

/** Every management route (`METHOD /path`, path parameters as `{name}`) with how to probe it. */
export const ROUTE_PROBES: Record<string, RouteProbes> = {
  ...KEY_PROBES,
  ...TEAM_PROBES,
  ...ORGANIZATION_PROBES,
  ...USER_PROBES,
  ...customerProbes('customer'),
  ...customerProbes('end_user'),
  ...BUDGET_PROBES,
  'GET /audit': { foreign: () => get('/audit?page_size=1') },
  ...SPEND_PROBES,
};
