import type { ManagementGroup } from '../management-group';

/** The /audit management routes: controllers and the providers they need. */
export const AUDIT_PARTS: ManagementGroup = { controllers: [], providers: [] };
