export * from './kv.types';
