import { CooldownTracker, type CooldownOptions } from './cooldown-tracker';
import { MemoryCooldownStore } from './memory-cooldown-store';

/** Cooldowns for a gateway without Redis: the same rules, kept in this process. */
export class MemoryCooldowns extends CooldownTracker {
  constructor(options: CooldownOptions = {}) {
    super(new MemoryCooldownStore(), options);
  }
}
