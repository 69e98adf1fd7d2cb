export * from './rate-limit-store';
export * from './memory-rate-limit-store';
export * from './redis-rate-limit-store';
export * from './limit-scopes';
export * from './rate-limit-headers';
export * from './rate-limiter';
export * from './rate-limit-error';
export * from './token-estimate';
