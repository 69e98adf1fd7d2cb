import { connect, type Socket } from 'node:net';
import { testRedisUrl } from './test-redis';

/** Commands seen by a MONITOR connection whose text contains `mark`: the client's own, and those scripts ran. */
export interface RedisCommandWatch {
  /** Commands sent by clients (not run by a script), each as MONITOR printed it. */
  readonly sent: string[];
  /** Commands run inside scripts (`[0 lua]`). */
  readonly scripted: string[];
  stop(): Promise<void>;
}

/**
 * Watches the test Redis with MONITOR over a plain socket (ioredis's monitor mode can fail on data arriving
 * while it disconnects). Resolves once MONITOR is on, so every command sent afterwards is seen.
 */
export function watchRedisCommands(mark: string): Promise<RedisCommandWatch> {
  const url = new URL(testRedisUrl());
  const socket: Socket = connect(Number(url.port || 6379), url.hostname);
  const sent: string[] = [];
  const scripted: string[] = [];
  let buffered = '';
  return new Promise((resolve, reject) => {
    let started = false;
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\r\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!started) {
          if (line === '+OK') {
            started = true;
            resolve({ sent, scripted, stop: () => new Promise((done) => socket.end(done)) });
          }
          continue;
        }
        if (!line.includes(mark)) continue;
        (/^\+\d+\.\d+ \[\d+ lua\]/.test(line) ? scripted : sent).push(line);
      }
    });
    socket.write('MONITOR\r\n');
  });
}
