export * from './key-input';
export { VirtualKeyService, type KeyActor, type KeyServiceDeps } from './key-service';
export { VirtualKeyQueries, type KeyListPage } from './key-queries';
export { generateKeyValue, abbreviateKey, keyHashOf, checkCustomKey, KEY_PREFIX } from './key-secret';
export { keyObject } from './key-response';
export { modelsBeyond } from './key-model-scope';
