import { badRequest } from '@tollgate/common';

/** A member named in a request: LiteLLM's `{role, user_id | user_email}`. */
export interface MemberRef {
  role: string;
  user_id?: string;
  user_email?: string;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}

function optionalText(entry: Record<string, unknown>, name: 'user_id' | 'user_email', where: string, field: string): string | undefined {
  const value = entry[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${where}.${name} must be a non-empty string.`, field);
  return value.trim();
}

function parseOne(entry: unknown, roles: readonly string[], where: string, field: string): MemberRef {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw badRequest(`${where} must be an object like {"role": "${roles[0]}", "user_id": "..."}; got ${describe(entry)}.`, field);
  const record = entry as Record<string, unknown>;
  const role = record.role;
  if (typeof role !== 'string' || !roles.includes(role)) throw badRequest(`${where}.role must be one of ${roles.join(', ')}; got ${JSON.stringify(role ?? null)}.`, field);
  const user_id = optionalText(record, 'user_id', where, field);
  const user_email = optionalText(record, 'user_email', where, field);
  if (!user_id && !user_email) throw badRequest(`${where} needs a user_id or a user_email.`, field);
  return { role, user_id, user_email };
}

/**
 * Reads `member` (one object or a list, as LiteLLM accepts) or `members_with_roles` into member references,
 * with a 400 naming `field` for anything malformed. The same user named twice is refused too.
 */
export function parseMembers(value: unknown, roles: readonly string[], field: string, options: { allowEmpty?: boolean } = {}): MemberRef[] {
  if (value === undefined || value === null) {
    if (options.allowEmpty) return [];
    throw badRequest(`"${field}" is required: one member or a list of members.`, field);
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 && !options.allowEmpty) throw badRequest(`"${field}" must name at least one member.`, field);
  const members = list.map((entry, i) => parseOne(entry, roles, Array.isArray(value) ? `${field}[${i}]` : field, field));
  const seen = new Set<string>();
  for (const m of members) {
    const identity = m.user_id ? `id:${m.user_id}` : `email:${m.user_email?.toLowerCase()}`;
    if (seen.has(identity)) throw badRequest(`"${field}" names ${m.user_id ?? m.user_email} more than once.`, field);
    seen.add(identity);
  }
  return members;
}

/** `user_id` or `user_email` of a single-user request (member_delete, member_update), one of them required. */
export function userRefOf(body: { user_id?: string | null; user_email?: string | null }): { user_id?: string; user_email?: string } {
  const user_id = body.user_id?.trim() || undefined;
  const user_email = body.user_email?.trim() || undefined;
  if (!user_id && !user_email) throw badRequest('Send the member as "user_id" or "user_email".', 'user_id');
  return { user_id, user_email };
}
