import { access, chmod, mkdir, rm } from 'node:fs/promises';
import type { Server } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { acquireDataDirLock, DataDirLock } from './data-dir-lock';

/**
 * How many client connections the embedded server may have open at once: one.
 *
 * PGlite is a single PostgreSQL backend (one session). pglite-socket multiplexes connections onto it one
 * protocol message at a time, so two clients using the extended query protocol (every parameterised query,
 * which is all Prisma and pg send) interleave Parse/Bind/Execute messages on the shared session and receive
 * each other's results. Its default, kept here, is therefore one connection: everything in the process must
 * share a single connection (a pg/Prisma pool of max 1), and a migrator must close its connection before the
 * application's pool opens one. A second simultaneous connection is refused (the client sees "Connection
 * terminated unexpectedly").
 */
export const EMBEDDED_MAX_CONNECTIONS = 1;

export interface EmbeddedPostgresOptions {
  /** Tollgate's local state folder; the database files go in `<dataDir>/pgdata`. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  log?: (line: string) => void;
}

/**
 * PostgreSQL's shared buffers in the embedded server. They live in PGlite's WebAssembly memory, so
 * PostgreSQL's default of 128 MB made an idle gateway about 130 MB larger; an embedded database serves
 * one process's key lookups and log writes, and the files under it are still cached by the operating system.
 */
export const EMBEDDED_SHARED_BUFFERS = '32MB';
const START_PARAMS = [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`];

/**
 * Creates a new PGlite database in `pgdata` in a worker thread. Creating runs initdb, whose WebAssembly
 * memory (about 430 MB) stays with the instance that ran it until that instance is garbage collected, which
 * an idle gateway may never do; a worker's memory is returned when the worker ends.
 */
const CREATE_DATABASE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.entry);
PGlite.create({ dataDir: workerData.dataDir, startParams: workerData.startParams })
  .then((db) => db.close())
  .then(
    () => parentPort.postMessage({ created: true }),
    (error) => parentPort.postMessage({ created: false, message: error instanceof Error ? error.message : String(error) }),
  );
`;

function createDatabase(pgdata: string): Promise<void> {
  return new Promise((done, fail) => {
    const worker = new Worker(CREATE_DATABASE, { eval: true, workerData: { entry: require.resolve('@electric-sql/pglite'), dataDir: pgdata, startParams: START_PARAMS } });
    let outcome: { created: boolean; message?: string } | undefined;
    worker.once('message', (message: { created: boolean; message?: string }) => (outcome = message));
    worker.once('error', fail);
    worker.once('exit', (code) => {
      if (outcome?.created) done();
      else fail(new Error(outcome?.message ?? `creating the database stopped (worker exit code ${code})`));
    });
  });
}

/** Opens the PGlite database in `pgdata`, creating it first (see createDatabase) when the folder holds none. */
async function openPglite(pgdata: string): Promise<PGlite> {
  const exists = await access(join(pgdata, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!exists) await createDatabase(pgdata);
  return PGlite.create({ dataDir: pgdata, startParams: START_PARAMS });
}

/**
 * PostgreSQL running inside this process (PGlite), reachable over the normal wire protocol on 127.0.0.1 so
 * the same pg/Prisma code paths and SQL work as with an external server.
 */
/** The port number in the socket's file name (`.s.PGSQL.<port>`), as PostgreSQL clients expect it. */
const SOCKET_PORT = 5432;
/** Unix socket paths are limited to about 108 bytes. */
const MAX_SOCKET_PATH = 100;

export class EmbeddedPostgres {
  /** See EMBEDDED_MAX_CONNECTIONS: size every pool for this server to this. */
  readonly maxConnections = EMBEDDED_MAX_CONNECTIONS;
  private stopping?: Promise<void>;

  private constructor(
    readonly url: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lock: DataDirLock,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const lock = await acquireDataDirLock(dataDir);

    let db: PGlite | undefined;
    let server: PGLiteSocketServer | undefined;
    try {
      const startedAt = Date.now();
      db = await openPglite(join(dataDir, 'pgdata'));
      // A Unix socket inside the (owner-only) data folder: the embedded server has no password, so a TCP port
      // would let any local user read or change the data. Paths too long for a socket fall back to loopback TCP.
      const socketPath = join(dataDir, `.s.PGSQL.${SOCKET_PORT}`);
      const useSocket = options.port === undefined && socketPath.length <= MAX_SOCKET_PATH && process.platform !== 'win32';
      if (useSocket) {
        await chmod(dataDir, 0o700);
        await rm(socketPath, { force: true });
      }
      server = new PGLiteSocketServer({
        db,
        ...(useSocket ? { path: socketPath } : { host: '127.0.0.1', port: options.port ?? 0 }),
        maxConnections: EMBEDDED_MAX_CONNECTIONS,
      });
      await server.start();
      reportRefusedConnections(server, log);
      const port = useSocket ? SOCKET_PORT : Number(server.getServerConn().split(':').pop());
      const url = useSocket
        ? `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(dataDir)}`
        : `postgresql://postgres@127.0.0.1:${port}/postgres`;
      log(`Embedded PostgreSQL ready on ${useSocket ? socketPath : `127.0.0.1:${port}`} (data in ${join(dataDir, 'pgdata')}, ${Date.now() - startedAt} ms)`);
      return new EmbeddedPostgres(url, port, dataDir, db, server, lock);
    } catch (error) {
      await server?.stop().catch(() => undefined);
      await db?.close().catch(() => undefined);
      await lock.release();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Could not start the embedded PostgreSQL in ${dataDir}: ${reason}`, { cause: error });
    }
  }

  /** Stops serving, flushes and closes the database, and frees the data folder. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await this.server.stop();
        await this.db.close();
      } finally {
        await this.lock.release();
      }
    })();
    return this.stopping;
  }
}

/**
 * Node's server drops connections beyond maxConnections without a word to the client, which only sees the
 * socket close. Saying why on our side turns a puzzling failure into an obvious one.
 */
function reportRefusedConnections(server: PGLiteSocketServer, log: (line: string) => void): void {
  // pglite-socket keeps its net.Server private; reach it defensively and skip the report if it moved.
  const netServer = (server as unknown as { server?: Server | null }).server;
  netServer?.on('drop', () => {
    log(
      `Embedded PostgreSQL refused a connection: it serves ${EMBEDDED_MAX_CONNECTIONS} connection at a time. ` +
        `Use a pool of max ${EMBEDDED_MAX_CONNECTIONS} and close other clients first.`,
    );
  });
}
