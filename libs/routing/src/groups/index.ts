export * from './context-window';
export * from './group-resolution';
export * from './model-groups';
export * from './routing-config-warnings';
export { DEFAULT_TAG } from './tag-filter';
