import { describeCooldownsContract } from './cooldowns.contract';
import { MemoryCooldowns } from './memory-cooldowns';

describeCooldownsContract('MemoryCooldowns', {
  open: (_namespace, options) => new MemoryCooldowns(options),
  shared: false,
});
