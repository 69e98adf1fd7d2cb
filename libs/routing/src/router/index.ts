export * from './router.types';
export * from './router';
export * from './retry-rules';
export * from './fallback-chain';
