import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { machineCpuBetween, parsePidStat, parseProcStat, roleOf, takeMachineSnapshot } from './machine-cpu';
import { machineCpuTable } from './report';

/** A fake /proc: the machine's line and, per pid, its stat (ticks) and command line. */
function fakeProc(machine: { busy: number; idle: number }, processes: Array<{ pid: number; ppid: number; comm: string; cmd: string; ticks: number }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'));
  // user nice system idle iowait irq softirq steal: the busy ticks split over user and system.
  fs.writeFileSync(path.join(dir, 'stat'), `cpu  ${machine.busy - 10} 0 10 ${machine.idle} 0 0 0 0 0 0\ncpu0 1 2 3 4\n`);
  for (const p of processes) {
    fs.mkdirSync(path.join(dir, String(p.pid)));
    // Fields from 3 on: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    fs.writeFileSync(path.join(dir, String(p.pid), 'stat'), `${p.pid} (${p.comm}) S ${p.ppid} 1 1 0 -1 0 0 0 0 0 ${p.ticks - 1} 1 0 0 20 0 1 0`);
    fs.writeFileSync(path.join(dir, String(p.pid), 'cmdline'), p.cmd.split(' ').join('\0'));
  }
  return dir;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('machine CPU by role', () => {
  it('reads the machine line and a process line, even with a command name holding spaces and parentheses', () => {
    expect(parseProcStat('cpu  100 5 20 300 7 1 2 3 0 0\n', 100)).toEqual({ busyMs: 1310, idleMs: 3070 });
    expect(parseProcStat('nothing here', 100)).toBeNull();
    expect(parsePidStat('42 (a (b) c) S 7 1 1 0 -1 0 0 0 0 0 30 20 0 0', 100)).toEqual({ comm: 'a (b) c', ppid: 7, cpuMs: 500 });
  });

  it('names the pipeline services by command, everything else "other"', () => {
    expect(roleOf('redis-server', '/usr/bin/redis-server 127.0.0.1:6379')).toBe('redis');
    expect(roleOf('postgres', 'postgres: 16/main: postgres test 127.0.0.1(5) idle')).toBe('postgres');
    expect(roleOf('node', '/usr/bin/node bin/tollgate.js worker --config c.yaml')).toBe('worker');
    expect(roleOf('node', '/usr/bin/node /x/bench/fake-upstream.js --port 0')).toBe('upstream');
    expect(roleOf('node', '/usr/bin/node bin/tollgate.js start --config c.yaml')).toBe('other');
  });

  it('charges the measured tree, the harness and the services between two snapshots, per request', () => {
    const gateway = { pid: 500, ppid: 1, comm: 'node', cmd: 'node bin/tollgate.js start' };
    // A gateway worker with a lower pid than its parent (pids wrap) still belongs to the measured tree.
    const gatewayChild = { pid: 90, ppid: 500, comm: 'node', cmd: 'node bin/tollgate.js start' };
    const others = [
      { pid: 600, ppid: 1, comm: 'node', cmd: 'node bin/tollgate.js worker --config c' },
      { pid: 700, ppid: 1, comm: 'redis-server', cmd: 'redis-server *:6379' },
      { pid: 701, ppid: 1, comm: 'postgres', cmd: 'postgres: checkpointer' },
      { pid: 800, ppid: 1, comm: 'node', cmd: 'node bench/fake-upstream.js' },
      { pid: 900, ppid: 1, comm: 'node', cmd: 'node bench/run.js' },
      { pid: 950, ppid: 1, comm: 'beam.smp', cmd: 'erlang' },
    ];
    const before = fakeProc({ busy: 1000, idle: 5000 }, [
      { ...gateway, ticks: 100 },
      { ...gatewayChild, ticks: 10 },
      ...others.map((p) => ({ ...p, ticks: 10 })),
    ]);
    // 200 busy ticks later: gateway tree +80, worker +20, Redis +15, PostgreSQL +5, upstream +30, harness +25,
    // another process +5, and a process that started in between +10 (counted from zero): 190 charged, 10 not.
    const after = fakeProc({ busy: 1200, idle: 5100 }, [
      { ...gateway, ticks: 160 },
      { ...gatewayChild, ticks: 30 },
      { ...others[0], ticks: 30 },
      { ...others[1], ticks: 25 },
      { ...others[2], ticks: 15 },
      { ...others[3], ticks: 40 },
      { ...others[4], ticks: 35 },
      { ...others[5], ticks: 15 },
      { pid: 960, ppid: 1, comm: 'sh', cmd: 'sh -c true', ticks: 10 },
    ]);
    dirs.push(before, after);
    const options = { measuredPid: 500, harnessPid: 900, ticksPerSecond: 100 };
    const first = takeMachineSnapshot({ ...options, procDir: before });
    const second = takeMachineSnapshot({ ...options, procDir: after });
    expect(first).not.toBeNull();
    const cpu = machineCpuBetween(first, { ...second!, atMs: first!.atMs + 1000 }, 100, 2);
    expect(cpu!.byRole).toEqual({ measured: 800, worker: 200, redis: 150, postgres: 50, upstream: 300, load: 250, other: 150, kernel: 100 });
    expect(cpu!.busyMs).toBe(2000);
    expect(cpu!.busyShare).toBeCloseTo(1, 9);
    expect(cpu!.machineMsPerRequest).toBe(20);
    expect(cpu!.msPerRequest.measured).toBe(8);

    const table = machineCpuTable([{ name: 'full-json', machineCpu: cpu }]);
    expect(table).toContain('| full-json | 100% | 20.000 | 8.000 | 2.000 | 1.500 | 0.500 | 3.000 | 2.500 | 1.500 | 1.000 |');
  });

  it('gives no figures without /proc or without requests', () => {
    expect(takeMachineSnapshot({ procDir: path.join(os.tmpdir(), 'no-such-proc-dir') })).toBeNull();
    expect(machineCpuBetween(null, null, 10)).toBeNull();
    const snapshot = { atMs: 0, busyMs: 0, idleMs: 0, byPid: new Map() };
    expect(machineCpuBetween(snapshot, { ...snapshot, atMs: 10 }, 0, 2)!.machineMsPerRequest).toBeNull();
    expect(machineCpuTable([{ name: 'direct-json' }])).toBeNull();
  });
});
