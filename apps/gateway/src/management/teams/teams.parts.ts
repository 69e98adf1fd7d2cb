import type { ManagementGroup } from '../management-group';

/** The /teams management routes: controllers and the providers they need. */
export const TEAMS_PARTS: ManagementGroup = { controllers: [], providers: [] };
