export * from './cooldowns';
export * from './cooldown-settings';
export * from './cooldown-rules';
export * from './cooldown-event';
export * from './failure-class';
export { CooldownTracker, type CooldownOptions } from './cooldown-tracker';
export { MemoryCooldowns } from './memory-cooldowns';
export { RedisCooldowns, COOLDOWN_CHANNEL, type RedisCooldownsOptions } from './redis-cooldowns';
