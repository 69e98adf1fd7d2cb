export * from './tollgate-logger';
export * from './gateway-events';
