import type { CallerIdentity } from '@tollgate/auth';
import type { OrganizationFields } from '@tollgate/tenancy';
import { canReadEverything, isOrgAdmin, isProxyAdmin } from '../management-access';
import { forbidden, refuseViewers } from '../teams/team-access';

/** What an org admin may change on their own organization: nothing that widens its models, limits or status. */
export const ORG_ADMIN_FIELDS: ReadonlySet<string> = new Set(['organization_alias', 'metadata']);

/**
 * Who may do what with organizations. Proxy admins: everything (creating and deleting organizations is
 * theirs alone). Org admins: manage members and rename or annotate their organization. Members read their
 * organization. proxy_admin_viewer reads everything. Viewers never write.
 */
export function checkOrgUpdate(caller: CallerIdentity, organizationId: string, fields: OrganizationFields): void {
  refuseViewers(caller);
  if (isProxyAdmin(caller)) return;
  if (!isOrgAdmin(caller, organizationId)) throw forbidden(`You may not update organization "${organizationId}".`);
  const beyond = Object.keys(fields).filter((name) => (fields as Record<string, unknown>)[name] !== undefined && !ORG_ADMIN_FIELDS.has(name));
  if (beyond.length > 0) throw forbidden(`Org admins may change ${[...ORG_ADMIN_FIELDS].join(', ')}; changing ${beyond.join(', ')} needs a proxy admin.`);
}

export function checkOrgMemberChange(caller: CallerIdentity, organizationId: string): void {
  refuseViewers(caller);
  if (!isOrgAdmin(caller, organizationId)) throw forbidden(`Only proxy admins and admins of organization "${organizationId}" may manage its members.`);
}

export function checkOrgRead(caller: CallerIdentity, organizationId: string): void {
  if (canReadEverything(caller) || caller.user?.organizations[organizationId] !== undefined) return;
  throw forbidden(`You may not read organization "${organizationId}": you are not a member of it.`);
}

/** The organizations a caller may list: undefined for everything, else those they belong to. */
export function visibleOrganizations(caller: CallerIdentity): string[] | undefined {
  return canReadEverything(caller) ? undefined : Object.keys(caller.user?.organizations ?? {});
}
