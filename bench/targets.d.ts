// Types for targets.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export interface TargetResult {
  id: string;
  target: string;
  status: 'pass' | 'fail' | 'not measured';
  measured: string;
}

/** A finished run's report (latest.json); only the parts the targets read need be present. */
export function evaluateTargets(report: Record<string, any>): TargetResult[];
