import type { ManagementGroup } from '../management-group';

/** The /organizations management routes: controllers and the providers they need. */
export const ORGANIZATIONS_PARTS: ManagementGroup = { controllers: [], providers: [] };
