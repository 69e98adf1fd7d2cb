/** A whole number of at least 1, from the command line or NUM_WORKERS (LiteLLM's variable). */
const COUNT = /^\s*\d+\s*$/;

export class WorkerCountError extends Error {}

function parseCount(raw: string, source: string): number {
  const n = COUNT.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new WorkerCountError(`${source}: expected a whole number of at least 1, got "${raw}"`);
  return n;
}

/**
 * How many gateway processes `tollgate start` runs: the flag (either spelling) wins over NUM_WORKERS; absent
 * means 1, today's single process.
 */
export function resolveWorkerCount(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  if (flag !== undefined) return parseCount(flag, '--num_workers');
  const fromEnv = env.NUM_WORKERS;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseCount(fromEnv, 'NUM_WORKERS');
  return 1;
}
