export * from './config.types';
export { ConfigError, formatConfigProblem } from './config-error';
export { loadConfig } from './load-config';
export type { LoadConfigOptions } from './load-config';
export { INTERPRETED_KEYS } from './interpreted-keys';
export { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_PORT } from './runtime-settings';
export * from './router-config';
export { childPath, indexPath } from './config-path';
