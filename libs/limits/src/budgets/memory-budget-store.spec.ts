import { budgetStoreContract } from './budget-store.contract';
import { MemoryBudgetStore } from './memory-budget-store';

budgetStoreContract('memory', async () => ({ store: new MemoryBudgetStore() }));
