// Types for floor-proxy.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export interface FloorOptions {
  host: string;
  port: number;
  upstream: string;
}
export function parseFloorArgs(argv: string[]): FloorOptions;
export function startFloorProxy(options: FloorOptions): Promise<{ url: string; close(): Promise<void> }>;
