export * from './deployment-health';
export * from './health-check-settings';
export * from './health-report';
export * from './deployment-health-monitor';
