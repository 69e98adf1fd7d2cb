import type { ManagementGroup } from '../management-group';

/** The /keys management routes: controllers and the providers they need. */
export const KEYS_PARTS: ManagementGroup = { controllers: [], providers: [] };
