import { hashApiKey, type CallerIdentity } from '@tollgate/auth';
import { badRequest, notFound } from '@tollgate/common';
import { Prisma, type PrismaClient, type VirtualKey } from '@tollgate/database';
import type { IdentityCache } from '../identity-cache';
import { recordAudit } from '../management/audit-log';
import type { DeleteKeysInput, GenerateKeyInput, KeySettingsInput, RegenerateKeyInput, UpdateKeyInput } from './key-input';
import { findKey, findKeys } from './key-lookup';
import { resolveKeyOwnership } from './key-ownership';
import { requireOnlyNarrowing } from './key-narrowing';
import { requireManage, requireWriter } from './key-permissions';
import { issuedKeyObject, keyAuditValue, keyObject } from './key-response';
import { abbreviateKey, checkCustomKey, generateKeyValue } from './key-secret';
import { keySettingsData } from './key-settings';

export interface KeyServiceDeps {
  db: PrismaClient;
  identities: Pick<IdentityCache, 'publishChange'>;
  /** Access groups from the config (group -> model names), to judge whether a key's models fit its team's. */
  accessGroups: ReadonlyMap<string, readonly string[]>;
  /** A key equal to the master key would be shadowed by it, so it may not be chosen as a virtual key. */
  masterKey?: string;
}

/** Who is acting: the authenticated caller, and the name the audit log records (`litellm-changed-by` or the caller). */
export interface KeyActor {
  caller: CallerIdentity;
  actor: string;
}

type Tx = Prisma.TransactionClient;

function isPrismaError(err: unknown, code: string): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === code;
}

/**
 * Creating and changing virtual keys. Each change is one transaction with its audit row, then every
 * replica is told to drop cached identities, so the next request with the key sees the change.
 */
export class VirtualKeyService {
  constructor(private readonly deps: KeyServiceDeps) {}

  async generate({ caller, actor }: KeyActor, input: GenerateKeyInput): Promise<Record<string, unknown>> {
    requireWriter(caller);
    if (input.key != null) this.checkChosenKey(input.key, 'key');
    const key = input.key ?? generateKeyValue();
    const tokenHash = hashApiKey(key);
    const settings = keySettingsData(input);
    const ownership = await resolveKeyOwnership(this.deps.db, caller, input, undefined, this.deps.accessGroups);
    const row = await this.write('key generated', async (tx) => {
      await this.checkFree(tx, tokenHash, settings.keyAlias, undefined, 'key');
      const created = await tx.virtualKey.create({
        data: { tokenHash, keyName: abbreviateKey(key), ...settings, ...ownership, createdBy: actor, updatedBy: actor },
      });
      await recordAudit(tx, { actor, action: 'create', objectType: 'key', objectId: tokenHash, after: keyAuditValue(created) });
      return created;
    });
    return issuedKeyObject(row, key);
  }

  async update({ caller, actor }: KeyActor, input: UpdateKeyInput): Promise<Record<string, unknown>> {
    requireWriter(caller);
    const current = await findKey(this.deps.db, input.key);
    requireManage(caller, current);
    const changes = await this.changesFor(caller, input, current);
    requireOnlyNarrowing(caller, current, changes);
    const row = await this.write('key updated', async (tx) => {
      await this.checkFree(tx, undefined, changes.keyAlias, current.tokenHash);
      const updated = await tx.virtualKey.update({ where: { tokenHash: current.tokenHash }, data: { ...changes, updatedBy: actor } });
      await recordAudit(tx, { actor, action: 'update', objectType: 'key', objectId: current.tokenHash, before: keyAuditValue(current), after: keyAuditValue(updated) });
      return updated;
    });
    return { key: row.tokenHash, ...keyObject(row) };
  }

  /** Replaces the key's value (the old one stops working at once), keeping its settings and spend. */
  async regenerate({ caller, actor }: KeyActor, input: RegenerateKeyInput): Promise<Record<string, unknown>> {
    requireWriter(caller);
    if (input.grace_period != null) {
      throw badRequest(
        'grace_period is not supported: Tollgate cannot yet keep an old key working after regeneration. Regenerate without it (the old key stops working at once).',
        'grace_period',
      );
    }
    if (input.new_key != null) this.checkChosenKey(input.new_key, 'new_key');
    const current = await findKey(this.deps.db, input.key);
    requireManage(caller, current);
    const key = input.new_key ?? generateKeyValue();
    const tokenHash = hashApiKey(key);
    if (tokenHash === current.tokenHash) throw badRequest('"new_key" must differ from the key being replaced.', 'new_key');
    const changes = await this.changesFor(caller, input, current);
    requireOnlyNarrowing(caller, current, changes);
    const row = await this.write('key regenerated', async (tx) => {
      await this.checkFree(tx, tokenHash, changes.keyAlias, current.tokenHash, 'new_key');
      const replaced = await tx.virtualKey.update({
        where: { tokenHash: current.tokenHash },
        data: { ...changes, tokenHash, keyName: abbreviateKey(key), updatedBy: actor },
      });
      await recordAudit(tx, { actor, action: 'regenerate', objectType: 'key', objectId: tokenHash, before: keyAuditValue(current), after: keyAuditValue(replaced) });
      return replaced;
    });
    return issuedKeyObject(row, key);
  }

  /** Deletes every named key (by value, hash or alias), or none: any unknown one is a 404, any foreign one a 403. */
  async remove({ caller, actor }: KeyActor, input: DeleteKeysInput): Promise<{ deleted_keys: string[] }> {
    requireWriter(caller);
    const keys = input.keys ?? [];
    const aliases = input.key_aliases ?? [];
    if (keys.length === 0 && aliases.length === 0) throw badRequest('Name the keys to delete in "keys" and/or "key_aliases".', 'keys');
    const rows = await findKeys(this.deps.db, keys, aliases);
    for (const row of rows) requireManage(caller, row);
    await this.write('key deleted', async (tx) => {
      const { count } = await tx.virtualKey.deleteMany({ where: { tokenHash: { in: rows.map((r) => r.tokenHash) } } });
      // Deleted meanwhile by someone else: report it rather than claim a deletion that did not happen here.
      if (count !== rows.length) throw notFound('One of the keys was deleted by another request meanwhile; nothing was deleted.', 'keys', 'not_found');
      for (const row of rows) await recordAudit(tx, { actor, action: 'delete', objectType: 'key', objectId: row.tokenHash, before: keyAuditValue(row) });
    });
    return { deleted_keys: rows.map((row) => row.tokenHash) };
  }

  /** Blocks or unblocks a key; requests with it are refused (401) from the next one on. */
  async setBlocked({ caller, actor }: KeyActor, keyOrHash: string, blocked: boolean): Promise<Record<string, unknown>> {
    requireWriter(caller);
    const current = await findKey(this.deps.db, keyOrHash);
    requireManage(caller, current);
    requireOnlyNarrowing(caller, current, { blocked });
    const row = await this.write(blocked ? 'key blocked' : 'key unblocked', async (tx) => {
      const updated = await tx.virtualKey.update({ where: { tokenHash: current.tokenHash }, data: { blocked, updatedBy: actor } });
      await recordAudit(tx, {
        actor,
        action: blocked ? 'block' : 'unblock',
        objectType: 'key',
        objectId: current.tokenHash,
        before: keyAuditValue(current),
        after: keyAuditValue(updated),
      });
      return updated;
    });
    return { key: row.tokenHash, ...keyObject(row) };
  }

  private checkChosenKey(key: string, field: string): void {
    checkCustomKey(key, field);
    if (this.deps.masterKey !== undefined && key === this.deps.masterKey) throw badRequest(`"${field}" may not be the master key.`, field);
  }

  private async changesFor(caller: CallerIdentity, input: KeySettingsInput, current: VirtualKey) {
    const settings = keySettingsData(input);
    const ownership = await resolveKeyOwnership(this.deps.db, caller, input, current, this.deps.accessGroups);
    return { ...settings, ...ownership };
  }

  /** Key values and aliases are unique; LiteLLM reports a taken one as a 400. */
  private async checkFree(tx: Tx, tokenHash: string | undefined, alias: string | null | undefined, self: string | undefined, keyField = 'key'): Promise<void> {
    if (tokenHash && (await tx.virtualKey.findUnique({ where: { tokenHash }, select: { tokenHash: true } }))) {
      throw badRequest(`This key already exists; choose another value for "${keyField}".`, keyField);
    }
    if (alias) {
      const holder = await tx.virtualKey.findUnique({ where: { keyAlias: alias }, select: { tokenHash: true } });
      if (holder && holder.tokenHash !== self) throw badRequest(`key_alias "${alias}" already exists; key aliases are unique.`, 'key_alias');
    }
  }

  private async write<T>(what: string, change: (tx: Tx) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.deps.db.$transaction(change);
    } catch (err) {
      // Two callers racing for the same alias or key value, or a key deleted while being changed.
      if (isPrismaError(err, 'P2002')) throw badRequest('A key with this value or key_alias already exists.', 'key_alias');
      if (isPrismaError(err, 'P2025')) throw notFound('The key was deleted while it was being changed.', 'key', 'not_found');
      throw err;
    }
    await this.deps.identities.publishChange(what);
    return result;
  }
}
