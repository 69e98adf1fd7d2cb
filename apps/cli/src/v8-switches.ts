import { setFlagsFromString } from 'node:v8';

/** A V8 feature Tollgate turns off by default, and the environment variable that turns it back on. */
export interface V8Switch {
  variable: string;
  /** The V8 flags that turn the feature off. */
  offFlags: readonly string[];
}

/**
 * Allocation-site pretenuring: V8 allocating objects straight into the old generation when their allocation
 * site's objects have tended to survive.
 *
 * A gateway's request objects live a few milliseconds, but a burst (start-up, a stall, a slow upstream)
 * keeps many alive across two scavenges, and V8 then pretenures their sites for good. From then on every
 * request allocates part of its short-lived objects in the old generation, which only full collections
 * reclaim. Measured with `bench/` (paced 1,000 req/s, 2 cores): off, the gateway's old generation grew about
 * a third slower and ran 3-4 full collections per run instead of 7-8, and the added p99 fell in 8 of 9
 * paired runs (full pipeline JSON +6.7 against +10.9 ms on average), at the same requests/s under load.
 */
export const PRETENURING: V8Switch = { variable: 'TOLLGATE_V8_PRETENURING', offFlags: ['--no-allocation-site-pretenuring'] };

/**
 * Recompiling hot WebAssembly functions with V8's optimizing compiler (tier-up). Off, WebAssembly runs as
 * compiled by V8's baseline compiler only.
 *
 * A Tollgate process runs three WebAssembly modules: Prisma's query compiler (megabytes of code, used by the
 * management API and the log writer, never per request), undici's HTTP parser (upstream answers) and, in
 * embedded mode, PGlite. Tiered up, Prisma's query compiler alone grows a process by 45-60 MB of optimized
 * code within seconds of its first queries. Without tier-up, undici's parser used no more CPU per request
 * than with it, within measurement noise (bench/README.md, "Runs O and P, and WebAssembly tier-up off").
 */
export const WASM_TIER_UP: V8Switch = { variable: 'TOLLGATE_V8_WASM_TIER_UP', offFlags: ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up'] };

/** Every switch, applied together at start-up; a new one is added here. */
export const V8_SWITCHES: readonly V8Switch[] = [PRETENURING, WASM_TIER_UP];

/** Whether `variable` turns its feature on: off when unset, empty or "off"; "on" turns it on; anything else is an error. */
export function v8SwitchSetting(env: NodeJS.ProcessEnv, { variable }: V8Switch): { enabled: boolean } | { error: string } {
  const raw = env[variable]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'off') return { enabled: false };
  if (raw === 'on') return { enabled: true };
  return { error: `${variable} must be "on" (V8's default) or "off", got "${env[variable]}"` };
}

/**
 * Applies every switch to this process before it compiles or serves anything (V8 reads these flags when it
 * allocates and compiles, so start-up is early enough); cluster workers and `tollgate worker` run it too.
 * Checks every variable before setting any flag, so a typo stops start-up without half the flags applied.
 */
export function applyV8Switches(env: NodeJS.ProcessEnv = process.env, setFlags: (flags: string) => void = setFlagsFromString): void {
  const settings = V8_SWITCHES.map((v8Switch) => ({ v8Switch, setting: v8SwitchSetting(env, v8Switch) }));
  for (const { setting } of settings) if ('error' in setting) throw new Error(setting.error);
  for (const { v8Switch, setting } of settings) {
    if ('enabled' in setting && !setting.enabled) for (const flag of v8Switch.offFlags) setFlags(flag);
  }
}
