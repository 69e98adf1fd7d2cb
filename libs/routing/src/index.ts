export * from './deployment-resolver';
export * from './model-registry';
