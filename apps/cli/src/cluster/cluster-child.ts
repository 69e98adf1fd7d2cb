import { startGateway } from '@tollgate/gateway';
import { startWorker } from '@tollgate/worker';
import { closeOnSignal, exitOnConfigError, loadOrExit, redisPrefix, type StartFlags } from '../startup';
import { HEARTBEAT_REPLY, isHeartbeat, isShutdownMessage, roleOf } from './cluster-protocol';

/**
 * One process forked by the cluster primary: a gateway (sharing the primary's listening port) or the queue
 * worker. Migrations were applied by the primary. Node's cluster module exits this process as soon as the
 * primary's IPC channel closes, so a child never outlives its primary.
 */
export async function runClusterChild(flags: StartFlags): Promise<void> {
  // The primary may ask for shutdown while this process is still starting: remember it until close exists.
  let requested: (() => void) | undefined;
  let shutdownAsked = false;
  process.on('message', (message) => {
    // Answered from the event loop: a loop that is stuck answers nothing, and the primary replaces this process.
    if (isHeartbeat(message)) {
      process.send?.(HEARTBEAT_REPLY);
      return;
    }
    if (!isShutdownMessage(message)) return;
    shutdownAsked = true;
    requested?.();
  });

  const config = loadOrExit(flags.config, { port: flags.port, host: flags.host }, true);
  const options = { redisPrefix: redisPrefix(), skipMigrations: true };
  const running = roleOf(process.env) === 'queue-worker' ? await startWorker(config, options).catch(exitOnConfigError) : await startGateway(config, options).catch(exitOnConfigError);
  const shutdown = closeOnSignal(() => running.close());
  requested = () => shutdown('Asked to stop by the cluster primary');
  if (shutdownAsked) requested();
}
