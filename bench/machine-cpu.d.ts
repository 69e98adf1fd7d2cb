// Types for machine-cpu.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export type MachineRole = 'measured' | 'worker' | 'redis' | 'postgres' | 'upstream' | 'load' | 'other' | 'kernel';

export const ROLES: MachineRole[];
export const ROLE_LABELS: Record<MachineRole, string>;

export interface MachineSnapshot {
  atMs: number;
  busyMs: number;
  idleMs: number;
  byPid: Map<number, { role: MachineRole; cpuMs: number }>;
}

export interface MachineCpu {
  elapsedMs: number;
  cores: number;
  busyMs: number;
  busyShare: number | null;
  byRole: Record<MachineRole, number>;
  msPerRequest: Record<MachineRole, number | null>;
  machineMsPerRequest: number | null;
}

export function roleOf(comm: string, cmdline: string): MachineRole;
export function parseProcStat(text: string, ticksPerSecond: number): { busyMs: number; idleMs: number } | null;
export function parsePidStat(text: string, ticksPerSecond: number): { comm: string; ppid: number; cpuMs: number } | null;
export function processTree(rootPid: number, parentOf: Map<number, number>): number[];
export function takeMachineSnapshot(options?: {
  measuredPid?: number | null;
  harnessPid?: number;
  ticksPerSecond?: number;
  procDir?: string;
}): MachineSnapshot | null;
export function machineCpuBetween(before: MachineSnapshot | null, after: MachineSnapshot | null, requests: number, cores?: number): MachineCpu | null;
