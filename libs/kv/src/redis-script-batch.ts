import type Redis from 'ioredis';

/** A Lua script that can run inside a batch: its body reads KEYS and ARGV and returns, as if it ran alone. */
export interface BatchableScript {
  readonly name: string;
  readonly lua: string;
}

export type ScriptArgument = string | number;

interface PendingCall {
  script: number;
  keys: readonly string[];
  args: readonly ScriptArgument[];
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

interface BatchedRedis extends Redis {
  [command: string]: unknown;
}

/** Separates the values of a batch's one packed argument; no string argument may contain it. */
const SEPARATOR = '\n';

/**
 * Wraps every script as a function of its own KEYS and ARGV, then runs the calls of one batch in order. KEYS
 * holds each key of the batch once: the requests of one turn mostly share their counters (key, team, user).
 * ARGV[1] packs every other value, each followed by a newline: the number of calls, then per call its
 * script's index, key count, argument count, the positions of its keys in KEYS, and its arguments. One string
 * instead of a protocol argument per value: the client builds and writes it far faster, and unpacking it here
 * costs the server about what parsing the values one by one would. Each call's outcome is {1, reply} or
 * {0, error message}: pcall keeps one call's error from failing the others, as if each had been a script of
 * its own.
 */
function batchLua(scripts: readonly BatchableScript[]): string {
  const functions = scripts.map((script, index) => `scripts[${index + 1}] = function(KEYS, ARGV)\n${script.lua}\nend`).join('\n');
  return `local scripts = {}
${functions}
local packed, n = {}, 0
for value in string.gmatch(ARGV[1], '([^\\n]*)\\n') do
  n = n + 1
  packed[n] = value
end
local out = {}
local a = 2
for c = 1, tonumber(packed[1]) do
  local index, nkeys, nargs = tonumber(packed[a]), tonumber(packed[a + 1]), tonumber(packed[a + 2])
  local keys, argv = {}, {}
  for i = 1, nkeys do keys[i] = KEYS[tonumber(packed[a + 2 + i])] end
  for i = 1, nargs do argv[i] = packed[a + 2 + nkeys + i] end
  a = a + 3 + nkeys + nargs
  local ok, reply = pcall(scripts[index], keys, argv)
  if ok then
    out[c] = {1, reply}
  else
    if type(reply) == 'table' then reply = reply.err end
    out[c] = {0, tostring(reply)}
  end
end
return out
`;
}

/**
 * Runs the script calls issued during one event-loop turn as one script call, sent when the turn ends
 * (setImmediate, after the turn's I/O callbacks). Every Redis command costs the client a command object, a
 * timer, a protocol string and a promise, and the server a script invocation; under load a turn holds several
 * requests' admissions and charges, so one call carries them all. At idle the turn ends as soon as the
 * request's own callback returns, so nothing waits for other traffic.
 *
 * The batch is its own pipeline, so its command is left out of the connection's auto-pipelining (which would
 * hold it for one more tick, after the answers waiting for it). The script is sent as EVALSHA, and loaded with
 * EVAL once per connection.
 */
export class RedisScriptBatch {
  private readonly client: BatchedRedis;
  private readonly command: string;
  private readonly indexByName = new Map<string, number>();
  private pending: PendingCall[] = [];
  private written: Promise<void> | undefined;
  private markWritten: (() => void) | undefined;

  constructor(client: Redis, scripts: readonly BatchableScript[], command: string) {
    this.client = client as BatchedRedis;
    this.command = command;
    scripts.forEach((script, index) => {
      if (this.indexByName.has(script.name)) throw new Error(`script "${script.name}" is registered twice in one batch`);
      this.indexByName.set(script.name, index + 1);
    });
    // Another batch's command of the same name would run that batch's scripts under these names.
    if (command in client) throw new Error(`the connection already has a command named "${command}"; give each batch its own`);
    client.defineCommand(command, { lua: batchLua(scripts) });
    const notPipelined = client.options.autoPipeliningIgnoredCommands;
    if (client.options.enableAutoPipelining && notPipelined && !notPipelined.includes(command)) notPipelined.push(command);
  }

  /** Queues one call for the end of the turn; resolves with the script's reply, rejects with its error. */
  run(name: string, keys: readonly string[], args: readonly ScriptArgument[]): Promise<unknown> {
    const script = this.indexByName.get(name);
    if (script === undefined) return Promise.reject(new Error(`script "${name}" is not part of this batch`));
    for (const arg of args) {
      if (typeof arg === 'string' && arg.includes(SEPARATOR)) return Promise.reject(new Error(`an argument of script "${name}" contains a newline`));
    }
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) this.scheduleSend();
      this.pending.push({ script, keys, args, resolve, reject });
    });
  }

  /**
   * Resolves once the calls queued so far have been handed to the connection (written to its socket, or
   * queued by a connection that is not ready yet); undefined when none are waiting.
   */
  whenWritten(): Promise<void> | undefined {
    return this.written;
  }

  private scheduleSend(): void {
    this.written = new Promise<void>((resolve) => (this.markWritten = resolve));
    setImmediate(() => this.send());
  }

  private send(): void {
    const calls = this.pending;
    const markWritten = this.markWritten as () => void;
    this.pending = [];
    this.written = undefined;
    this.markWritten = undefined;
    const keys: ScriptArgument[] = [0];
    const keyPositions = new Map<string, number>();
    const packed: ScriptArgument[] = [calls.length];
    for (const call of calls) {
      packed.push(call.script, call.keys.length, call.args.length);
      for (const key of call.keys) {
        let position = keyPositions.get(key);
        if (position === undefined) {
          position = keys.length; // KEYS[1] is keys[1]: keys[0] is the key count
          keyPositions.set(key, position);
          keys.push(key);
        }
        packed.push(position);
      }
      for (const arg of call.args) packed.push(arg);
    }
    keys[0] = keys.length - 1;
    packed.push(''); // so that every value, the last included, is followed by a separator
    let sent: Promise<unknown>;
    try {
      sent = (this.client[this.command] as (keys: ScriptArgument[], packed: string) => Promise<unknown>)(keys, packed.join(SEPARATOR));
    } catch (error) {
      sent = Promise.reject(error);
    }
    markWritten();
    sent.then(
      (reply) => settleCalls(calls, reply),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const call of calls) call.reject(failure);
      },
    );
  }
}

function settleCalls(calls: readonly PendingCall[], reply: unknown): void {
  const outcomes = reply as unknown[][];
  calls.forEach((call, index) => {
    const outcome = outcomes[index];
    if (outcome?.[0] === 1) call.resolve(outcome[1]);
    else call.reject(new Error(String(outcome?.[1] ?? 'no reply for this script call')));
  });
}
