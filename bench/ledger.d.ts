// Types for ledger.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export interface Counts {
  sent: number | null;
  answered: number | null;
  ok: number | null;
}

export interface LedgerEntry extends Counts {
  phase: string;
  keyHash: string;
}

export class Ledger {
  entries: LedgerEntry[];
  open(phase: string, keyHash: string): { entry: LedgerEntry; record: (counts: Partial<Counts>) => void };
  keyHashes(phases?: string[]): string[];
  expectedRows(keyHashes: string[]): number;
}

export interface Verdict {
  verdict: string;
  lost: number | null;
}

export function verdict(figures: Counts & { rows: number; rowsOk: number }): Verdict;
export function reconcile(
  entries: LedgerEntry[],
  counted: { perKey: Record<string, { rows: number; byStatus: Record<string, number> }> },
): {
  phases: Array<Counts & Verdict & { phase: string; rows: number; rowsOk: number; rowsByStatus: Record<string, number> }>;
  totals: Counts & Verdict & { rows: number | null; rowsOk: number | null };
};
