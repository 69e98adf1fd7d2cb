// The full pipeline's caller: a team and virtual keys made through the management API (so budgets and
// rate limits are checked on every request), and the count of request-log rows written for each key.
'use strict';

const { withPg } = require('./backends');

// Large enough that nothing is ever refused during a run: the limits are there to be checked, not to bite.
const TEAM_LIMITS = { max_budget: 1_000_000, rpm_limit: 1_000_000_000, tpm_limit: 1_000_000_000_000 };
const KEY_LIMITS = { max_budget: 100_000, rpm_limit: 1_000_000_000, tpm_limit: 1_000_000_000_000 };

async function managementCall(gatewayUrl, masterKey, route, body) {
  const res = await fetch(`${gatewayUrl}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST ${route} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function createTeam(gatewayUrl, masterKey) {
  const team = await managementCall(gatewayUrl, masterKey, '/team/new', { team_alias: 'tollgate-bench', ...TEAM_LIMITS });
  return team.team_id;
}

/**
 * One key per measured phase, so each phase's rows can be counted on their own.
 * @returns {Promise<{ key: string, keyHash: string, alias: string }>}
 */
async function createKey(gatewayUrl, masterKey, teamId, alias) {
  const created = await managementCall(gatewayUrl, masterKey, '/key/generate', { team_id: teamId, key_alias: alias, ...KEY_LIMITS });
  // `token` is the key's SHA-256, which is what request_logs.key_hash holds.
  return { key: created.key, keyHash: created.token, alias };
}

/** Rows per status for one key, straight from request_logs. */
async function countRowsSql(databaseUrl, keyHashes) {
  return withPg(databaseUrl, async (client) => {
    const { rows } = await client.query(
      'SELECT key_hash, status, count(*)::int AS n FROM request_logs WHERE key_hash = ANY($1) GROUP BY key_hash, status',
      [keyHashes],
    );
    return rows.map((r) => ({ keyHash: r.key_hash, status: String(r.status), n: r.n }));
  });
}

/**
 * The same through GET /spend/logs: the embedded database serves a single connection, which the gateway
 * holds, so the management API is the only way in while it runs.
 */
async function countRowsApi({ gatewayUrl, masterKey }, keyHashes) {
  const out = [];
  for (const keyHash of keyHashes) {
    const byStatus = {};
    for (let page = 1, pages = 1; page <= pages; page++) {
      const res = await fetch(`${gatewayUrl}/spend/logs?api_key=${keyHash}&page_size=1000&page=${page}`, {
        headers: { authorization: `Bearer ${masterKey}` },
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /spend/logs answered ${res.status}: ${text.slice(0, 300)}`);
      const body = JSON.parse(text);
      pages = body.total_pages;
      for (const log of body.data) {
        const status = String(log.metadata?.status_code ?? (log.status === 'success' ? 200 : 'failure'));
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      }
    }
    for (const [status, n] of Object.entries(byStatus)) out.push({ keyHash, status, n });
  }
  return out;
}

/**
 * Rows per key and status; 499 marks a caller that hung up (the end of a timed load run cuts some off).
 * @param {{ databaseUrl?: string, gatewayUrl?: string, masterKey?: string }} source SQL when databaseUrl is set
 */
async function countRows(source, keyHashes) {
  const rows = source.databaseUrl ? await countRowsSql(source.databaseUrl, keyHashes) : await countRowsApi(source, keyHashes);
  const perKey = Object.fromEntries(keyHashes.map((hash) => [hash, { rows: 0, byStatus: {} }]));
  for (const row of rows) {
    perKey[row.keyHash].rows += row.n;
    perKey[row.keyHash].byStatus[row.status] = row.n;
  }
  return { total: rows.reduce((sum, r) => sum + r.n, 0), perKey };
}

/**
 * Waits for the asynchronous writers to finish: until at least `expected` rows exist and the count has
 * been still for quietMs (a worker batch takes up to a second), or it has been still for settleMs below
 * `expected` (a lost event shows as a shortfall instead of hanging the run), or timeoutMs passed.
 */
async function waitForRows(source, keyHashes, expected, { timeoutMs = 60_000, quietMs = 1_500, settleMs = 10_000, pollMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = await countRows(source, keyHashes);
  let lastChange = Date.now();
  for (;;) {
    const still = Date.now() - lastChange;
    if (Date.now() >= deadline || (last.total >= expected && still >= quietMs) || still >= settleMs) return last;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const now = await countRows(source, keyHashes);
    if (now.total !== last.total) lastChange = Date.now();
    last = now;
  }
}

module.exports = { createTeam, createKey, countRows, waitForRows };
