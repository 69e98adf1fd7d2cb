export * from './api-key-extractor';
export * from './authenticator';
export * from './caller-identity';
export * from './master-key';
export * from './roles';
export * from './access';
