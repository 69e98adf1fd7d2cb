// Types for request-parts.js, which stays plain JavaScript so `node bench/run.js` needs no build.

export function splitUrl(url: string): { origin: string; path: string };
export function jsonHeaders(headers?: Record<string, string>): Record<string, string>;
export function encodeBody(body: string | object, overrides?: object): string;
export function errorLabel(err: unknown): string;
