export * from './start-gateway';
export { GatewayRuntime } from './gateway-runtime';
