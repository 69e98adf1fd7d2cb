/** Global roles of users (LiteLLM's `user_role` values). */
export const USER_ROLES = ['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles inside a team. */
export const TEAM_ROLES = ['admin', 'user'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Roles inside an organization. */
export const ORG_ROLES = ['org_admin', 'internal_user', 'internal_user_viewer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];
