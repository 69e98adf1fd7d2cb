export * from './gateway-error';
export * from './chat-request-validation';
export * from './call-id';
export * from './bounded-cache';
export * from './wildcard-pattern';
export * from './cancel-signal';
