// Bookkeeping for "no spend event lost": what each full-pipeline phase sent with its own key, and the
// comparison with the request-log rows written for that key. Pure, so the verdicts are unit-tested.
'use strict';

class Ledger {
  constructor() {
    /** @type {Array<{ phase: string, keyHash: string, sent: number|null, answered: number|null, ok: number|null }>} */
    this.entries = [];
  }

  /** A new phase; the returned function adds request counts to it (null makes the count unknown). */
  open(phase, keyHash) {
    const entry = { phase, keyHash, sent: 0, answered: 0, ok: 0 };
    this.entries.push(entry);
    const record = (counts) => {
      for (const field of ['sent', 'answered', 'ok']) {
        entry[field] = entry[field] === null || counts[field] == null ? null : entry[field] + counts[field];
      }
    };
    return { entry, record };
  }

  keyHashes(phases) {
    return this.entries.filter((e) => !phases || phases.includes(e.phase)).map((e) => e.keyHash);
  }

  /** Rows expected at least: every answer the client read has a row. */
  expectedRows(keyHashes) {
    return this.entries.filter((e) => keyHashes.includes(e.keyHash)).reduce((sum, e) => sum + (e.answered ?? 0), 0);
  }
}

function okRows(byStatus) {
  return Object.entries(byStatus).reduce((sum, [status, n]) => (status.startsWith('2') ? sum + n : sum), 0);
}

/**
 * Every answer the client saw must have a row (else "lost"), and there can be no more rows than requests
 * written (else "duplicated"). Rows == successful requests is "exact"; a timed load run that ends
 * cutting requests off mid-flight leaves rows for requests the client never saw answered, up to
 * sent - answered of them ("cut off").
 */
function verdict({ sent, answered, ok, rows, rowsOk }) {
  if (sent === null || answered === null || ok === null) return { verdict: 'unknown', lost: null };
  const lost = Math.max(0, ok - rowsOk);
  if (lost > 0) return { verdict: `lost ${lost}`, lost };
  if (rows > sent) return { verdict: `duplicated ${rows - sent}`, lost: 0 };
  if (rows === ok && rowsOk === ok) return { verdict: 'exact', lost: 0 };
  return { verdict: `cut off ${rows - ok}`, lost: 0 };
}

/** @param {{ perKey: Record<string, { rows: number, byStatus: Record<string, number> }> }} counted */
function reconcile(entries, counted) {
  const phases = entries.map((e) => {
    const found = counted.perKey[e.keyHash] ?? { rows: 0, byStatus: {} };
    const figures = { phase: e.phase, sent: e.sent, answered: e.answered, ok: e.ok, rows: found.rows, rowsOk: okRows(found.byStatus) };
    return { ...figures, rowsByStatus: found.byStatus, ...verdict(figures) };
  });
  const sum = (field) => (phases.some((p) => p[field] === null) ? null : phases.reduce((s, p) => s + p[field], 0));
  const totals = { sent: sum('sent'), answered: sum('answered'), ok: sum('ok'), rows: sum('rows'), rowsOk: sum('rowsOk') };
  return { phases, totals: { ...totals, ...verdict(totals) } };
}

module.exports = { Ledger, reconcile, verdict };
