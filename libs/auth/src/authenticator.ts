import { unauthorized } from '@tollgate/common';
import { extractApiKey } from './api-key-extractor';
import { ANONYMOUS_IDENTITY, MASTER_IDENTITY, type CallerIdentity } from './caller-identity';
import { MasterKey } from './master-key';
import { PresentedKeyDigests } from './presented-key-digest';

type Headers = Record<string, string | string[] | undefined>;

/** Finds the identity of a virtual key by its hash (cached by the implementation); undefined when unknown. */
export type VirtualKeyResolver = (keyHash: string) => CallerIdentity | undefined | Promise<CallerIdentity | undefined>;

/**
 * Resolves a request's headers to a caller identity or throws a 401 in OpenAI's shape: the master key, or a
 * virtual key that exists, is not blocked and has not expired. With no master key configured every caller
 * is admitted (startup allows that only on a loopback address).
 */
export class Authenticator {
  private readonly masterKey: MasterKey | undefined;
  private readonly digests = new PresentedKeyDigests();

  constructor(
    masterKey: string | undefined,
    private readonly resolveVirtualKey?: VirtualKeyResolver,
  ) {
    this.masterKey = masterKey ? new MasterKey(masterKey) : undefined;
  }

  get enabled(): boolean {
    return this.masterKey !== undefined;
  }

  /** Synchronous when the answer is known without I/O (master key, cached keys), so the hot path awaits nothing. */
  authenticate(headers: Headers): CallerIdentity | Promise<CallerIdentity> {
    if (!this.masterKey) return ANONYMOUS_IDENTITY;
    const key = extractApiKey(headers);
    if (!key) {
      throw unauthorized(
        'No API key provided. Send it as "Authorization: Bearer <key>" (or in the "x-api-key" / "api-key" header).',
      );
    }
    // One hash serves both the master-key comparison and the virtual-key lookup.
    const digest = this.digests.of(key);
    if (this.masterKey.matchesDigest(digest.bytes)) return MASTER_IDENTITY;
    if (!this.resolveVirtualKey) throw invalidKey();
    const found = this.resolveVirtualKey(digest.hex);
    return found instanceof Promise ? found.then(checkKey) : checkKey(found);
  }
}

function invalidKey() {
  return unauthorized('Invalid API key. Check the key you are sending; keys are case-sensitive.');
}

function checkKey(identity: CallerIdentity | undefined): CallerIdentity {
  if (!identity?.key) throw invalidKey();
  if (identity.key.blocked) throw unauthorized('This key is blocked. Ask an administrator to unblock it.');
  if (identity.key.expires !== undefined && identity.key.expires <= Date.now()) {
    throw unauthorized(`This key expired at ${new Date(identity.key.expires).toISOString()}. Ask for a new one.`);
  }
  if (identity.team?.blocked) throw unauthorized(`The key's team "${identity.team.id}" is blocked.`);
  if (identity.user?.blocked) throw unauthorized(`The key's user "${identity.user.id}" is blocked.`);
  if (identity.organization?.blocked) throw unauthorized(`The key's organization "${identity.organization.id}" is blocked.`);
  return identity;
}
