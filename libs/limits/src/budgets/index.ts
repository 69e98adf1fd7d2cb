export * from './budget-counters';
export * from './budget-store';
export * from './memory-budget-store';
export * from './redis-budget-store';
export * from './budget-error';
export * from './budget-guard';
export * from './synced-budget-store';
