export * from './provider.types';
export * from './provider-registry';
export { configureUpstreamPool, closeUpstreamPool } from './shared/upstream-agent';
export { displayUrl } from './shared/safe-url';
export { SseEventSplitter, sseEvent, sseEventData, SSE_DONE } from './shared/sse-event-splitter';
export { messageText, countTokens } from './fake/fake-answer';
