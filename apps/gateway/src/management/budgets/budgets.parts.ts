import type { ManagementGroup } from '../management-group';

/** The /budgets management routes: controllers and the providers they need. */
export const BUDGETS_PARTS: ManagementGroup = { controllers: [], providers: [] };
