export * from './identity-loader';
export * from './identity-cache';
export * from './model-access';
export * from './management/audit-log';
export * from './management/duration';
export * from './management/api-values';
