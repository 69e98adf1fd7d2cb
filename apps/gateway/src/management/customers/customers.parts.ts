import type { ManagementGroup } from '../management-group';

/** The /customers management routes: controllers and the providers they need. */
export const CUSTOMERS_PARTS: ManagementGroup = { controllers: [], providers: [] };
