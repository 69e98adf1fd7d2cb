// Types for nginx.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export function findExecutable(name: string, pathEnv?: string): string | null;
export function nginxConfig(options: {
  prefixDir: string;
  host: string;
  port: number;
  upstreamHost: string;
  upstreamPort: number;
  connections?: number;
}): string;
export function prepareNginx(options: {
  binary: string;
  workDir: string;
  host: string;
  port: number;
  upstreamUrl: string;
  connections: number;
}): { configPath: string; args: string[] };
