import type { Provider, Type } from '@nestjs/common';
import { AUDIT_PARTS } from './audit/audit.parts';
import { BUDGETS_PARTS } from './budgets/budgets.parts';
import { CUSTOMERS_PARTS } from './customers/customers.parts';
import { KEYS_PARTS } from './keys/keys.parts';
import { ManagementGuard } from './management.guard';
import { ORGANIZATIONS_PARTS } from './organizations/organizations.parts';
import { SPEND_PARTS } from './spend/spend.parts';
import { TEAMS_PARTS } from './teams/teams.parts';
import { USERS_PARTS } from './users/users.parts';

/** Every management route group; each folder contributes its controllers and providers through its parts file. */
const GROUPS = [KEYS_PARTS, TEAMS_PARTS, ORGANIZATIONS_PARTS, USERS_PARTS, CUSTOMERS_PARTS, BUDGETS_PARTS, AUDIT_PARTS, SPEND_PARTS];

export const MANAGEMENT_CONTROLLERS: Type[] = GROUPS.flatMap((g) => g.controllers);
export const MANAGEMENT_PROVIDERS: Provider[] = [ManagementGuard, ...GROUPS.flatMap((g) => g.providers)];
