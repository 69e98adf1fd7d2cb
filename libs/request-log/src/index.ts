export * from './request-log-event';
export * from './request-log-writer';
export * from './request-log-batcher';
export * from './in-process-request-log-sink';
export * from './queued-request-log-sink';
export * from './request-log-job';
