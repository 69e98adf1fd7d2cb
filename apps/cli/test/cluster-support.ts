import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ensureBuilt, startCli, type CliServer } from './cli-process';

export interface RunningCluster extends CliServer {
  /** The one port every gateway worker serves, read from the primary's ready line. */
  port: number;
}

/**
 * Starts `tollgate start --config <config>` with `workers` gateway workers on a free loopback port and resolves
 * once the primary reports them all listening. The count is passed as `--num_workers` or, with
 * `workersFrom: 'env'`, as `NUM_WORKERS`; `args` are added to the command line (e.g. `--with-worker`).
 */
export async function startCluster(options: {
  config: string;
  env: NodeJS.ProcessEnv;
  workers: number;
  workersFrom?: 'flag' | 'env';
  args?: string[];
  timeoutMs?: number;
}): Promise<RunningCluster> {
  ensureBuilt();
  const { config, env, workers, workersFrom = 'flag', args = [], timeoutMs = 90_000 } = options;
  const ready = new RegExp(`cluster: ${workers} gateway workers on 127\\.0\\.0\\.1:(\\d+)`);
  const cli = await startCli(
    ['start', '--config', config, '--port', '0', '--host', '127.0.0.1', ...(workersFrom === 'flag' ? ['--num_workers', String(workers)] : []), ...args],
    workersFrom === 'env' ? { ...env, NUM_WORKERS: String(workers) } : env,
    ready,
    timeoutMs,
  );
  return { ...cli, port: Number(ready.exec(cli.output())?.[1]) };
}

/** Pids the cluster primary logged for its gateway children, in start order (replacements included). */
export function gatewayPids(output: string): number[] {
  return [...output.matchAll(/cluster: started gateway worker \d+ \(pid (\d+)\)/g)].map((m) => Number(m[1]));
}

/** Running, not merely a zombie waiting for a parent that may never reap it (its primary was killed). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** The inode of the gateway's end of the loopback TCP connection from `clientPort` to `serverPort`. */
function serverSideInode(serverPort: number, clientPort: number): string | undefined {
  const local = `0100007F:${hexPort(serverPort)}`;
  const remote = `0100007F:${hexPort(clientPort)}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[2] === remote) return fields[9];
  }
  return undefined;
}

function holdsSocket(pid: number, inode: string): boolean {
  const dir = `/proc/${pid}/fd`;
  try {
    return readdirSync(dir).some((fd) => {
      try {
        return readlinkSync(`${dir}/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false; // closed while listing
      }
    });
  } catch {
    return false; // the process is gone
  }
}

/**
 * Which of `pids` accepted this connection: the primary accepts it and hands its file descriptor to one
 * gateway child, so the answer is read from /proc (Linux) instead of from anything the gateway says.
 */
async function ownerOf(socket: Socket, serverPort: number, pids: number[]): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const inode = serverSideInode(serverPort, socket.localPort as number);
    const owner = inode === undefined ? undefined : pids.find((pid) => holdsSocket(pid, inode));
    if (owner !== undefined) return owner;
    if (Date.now() > deadline) throw new Error(`no process among ${pids.join(', ')} holds the connection from port ${socket.localPort}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Served {
  pid: number;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request on a new connection and reports which of `pids` served it. */
export async function requestOnNewConnection(
  port: number,
  pids: number[],
  req: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Served> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const pid = await ownerOf(socket, port, pids);
  return new Promise((resolve, reject) => {
    const outgoing = request({
      createConnection: () => socket,
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.path,
      headers: { connection: 'close', ...req.headers, ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }) },
    });
    outgoing.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ pid, status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}
