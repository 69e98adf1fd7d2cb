export * from './tollgate-logger';
