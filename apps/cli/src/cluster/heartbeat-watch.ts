import { sendToChild, type MessageTarget } from './child-ipc';
import { HEARTBEAT_MESSAGE, isHeartbeatReply } from './cluster-protocol';

/** What the watch needs of a cluster child (node:cluster's Worker has it). */
export interface WatchedChild extends MessageTarget {
  isConnected(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface HeartbeatWatchOptions {
  /** A child silent this long after it first answered is hung. */
  timeoutMs: number;
  /** Called once per hung child; the caller kills it (its exit then goes through the restart policy). */
  onHung: (child: WatchedChild, silentMs: number) => void;
  now?: () => number;
}

interface Watched {
  /** When it last answered; undefined until its first answer (it may still be loading its modules). */
  lastReplyAt?: number;
  reported: boolean;
}

/**
 * Finds cluster children whose event loop has stopped: node:cluster keeps handing a hung gateway its share
 * of new connections, whose callers then wait until they time out, and nothing else would notice. The
 * primary asks every child at each `tick()`; a child that answered before and has been silent for
 * `timeoutMs` is reported once. A child is only watched from its first answer on, so a slow start is not
 * mistaken for a hang (a start that never completes is the startup checks' business).
 */
export class HeartbeatWatch {
  private readonly children = new Map<WatchedChild, Watched>();
  private readonly now: () => number;

  constructor(private readonly options: HeartbeatWatchOptions) {
    this.now = options.now ?? Date.now;
  }

  /** How often the primary should call tick(): several asks per timeout, at most every 5 s. */
  static intervalFor(timeoutMs: number): number {
    return Math.max(50, Math.min(5_000, Math.floor(timeoutMs / 4)));
  }

  add(child: WatchedChild): void {
    const watched: Watched = { reported: false };
    this.children.set(child, watched);
    child.on('message', (message) => {
      if (isHeartbeatReply(message)) watched.lastReplyAt = this.now();
    });
  }

  remove(child: WatchedChild): void {
    this.children.delete(child);
  }

  tick(): void {
    const now = this.now();
    for (const [child, watched] of this.children) {
      if (!child.isConnected()) continue;
      if (watched.lastReplyAt !== undefined && !watched.reported && now - watched.lastReplyAt >= this.options.timeoutMs) {
        watched.reported = true;
        this.options.onHung(child, now - watched.lastReplyAt);
        continue;
      }
      // A child that has just exited may still look connected; its exit, not this send, is what counts.
      sendToChild(child, HEARTBEAT_MESSAGE);
    }
  }
}

/** Seconds a child may stay silent by default: far beyond any GC pause or large synchronous parse. */
export const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 30;
const SECONDS = /^\s*\d+(\.\d+)?\s*$/;

/**
 * TOLLGATE_WORKER_HEARTBEAT_TIMEOUT (seconds; 0 turns the watch off): how long a cluster child may leave
 * the primary's heartbeat unanswered before it is killed and replaced. Throws with the variable's name and
 * what was found when the value is not a number of seconds.
 */
export function heartbeatTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.TOLLGATE_WORKER_HEARTBEAT_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_HEARTBEAT_TIMEOUT_SECONDS * 1000;
  const seconds = SECONDS.test(raw) ? Number(raw) : NaN;
  // Under a second, a garbage collection or a large request body could be taken for a hang.
  if (seconds === 0 || seconds >= 1) return Math.round(seconds * 1000);
  throw new Error(`TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: expected 0 (watch off) or a number of seconds of at least 1, got "${raw}"`);
}
