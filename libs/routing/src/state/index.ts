export * from './routing-state-store';
export * from './memory-routing-state-store';
export * from './redis-routing-state-store';
export * from './routing-state';
export * from './outage-log';
