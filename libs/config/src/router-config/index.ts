export * from './router-config.types';
export { fallbackTargets, ROUTER_DEFAULTS, routerConfigOf } from './router-config';
export type { FallbackKind } from './router-config';
