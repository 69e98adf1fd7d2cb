import { describe, expect, it } from 'vitest';
import { Ledger, reconcile, verdict } from './ledger';

describe('verdict', () => {
  it('is exact when every request succeeded and has exactly one row', () => {
    expect(verdict({ sent: 10, answered: 10, ok: 10, rows: 10, rowsOk: 10 })).toEqual({ verdict: 'exact', lost: 0 });
  });

  it('counts an answer the client saw without a row as lost', () => {
    expect(verdict({ sent: 10, answered: 10, ok: 10, rows: 9, rowsOk: 9 })).toEqual({ verdict: 'lost 1', lost: 1 });
  });

  it('accepts rows for requests a timed run cut off, up to the requests sent', () => {
    expect(verdict({ sent: 70, answered: 64, ok: 64, rows: 68, rowsOk: 65 })).toEqual({ verdict: 'cut off 4', lost: 0 });
    expect(verdict({ sent: 70, answered: 64, ok: 64, rows: 71, rowsOk: 65 })).toEqual({ verdict: 'duplicated 1', lost: 0 });
  });

  it('cannot judge a phase whose request count is unknown', () => {
    expect(verdict({ sent: null, answered: null, ok: null, rows: 3, rowsOk: 3 })).toEqual({ verdict: 'unknown', lost: null });
  });
});

describe('Ledger and reconcile', () => {
  it('adds counts per phase and compares them with the rows of each key', () => {
    const ledger = new Ledger();
    ledger.open('full-json', 'h1').record({ sent: 1, answered: 1, ok: 1 });
    const { record } = ledger.open('paced-json', 'h2');
    record({ sent: 50, answered: 50, ok: 50 });
    record({ sent: 50, answered: 49, ok: 49 });
    expect(ledger.keyHashes()).toEqual(['h1', 'h2']);
    expect(ledger.keyHashes(['paced-json'])).toEqual(['h2']);
    expect(ledger.expectedRows(['h1', 'h2'])).toBe(100);

    const result = reconcile(ledger.entries, {
      perKey: { h1: { rows: 1, byStatus: { '200': 1 } }, h2: { rows: 98, byStatus: { '200': 98 } } },
    });
    expect(result.phases.map((p) => [p.phase, p.verdict])).toEqual([
      ['full-json', 'exact'],
      ['paced-json', 'lost 1'],
    ]);
    expect(result.totals).toMatchObject({ sent: 101, ok: 100, rows: 99, rowsOk: 99, verdict: 'lost 1', lost: 1 });
  });

  it('treats a key with no rows at all as every event lost', () => {
    const ledger = new Ledger();
    ledger.open('large', 'h3').record({ sent: 2, answered: 2, ok: 2 });
    expect(reconcile(ledger.entries, { perKey: {} }).phases[0]).toMatchObject({ rows: 0, verdict: 'lost 2' });
  });

  it('makes a phase unknown once any of its counts is unknown', () => {
    const ledger = new Ledger();
    const { entry, record } = ledger.open('ttft', 'h4');
    record({ sent: 5, answered: 5, ok: 5 });
    record({ sent: null, answered: null, ok: null });
    expect(entry).toMatchObject({ sent: null, answered: null, ok: null });
    expect(reconcile(ledger.entries, { perKey: { h4: { rows: 5, byStatus: { '200': 5 } } } }).totals.verdict).toBe('unknown');
  });
});
