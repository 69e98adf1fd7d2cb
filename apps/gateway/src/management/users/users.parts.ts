import type { ManagementGroup } from '../management-group';

/** The /users management routes: controllers and the providers they need. */
export const USERS_PARTS: ManagementGroup = { controllers: [], providers: [] };
