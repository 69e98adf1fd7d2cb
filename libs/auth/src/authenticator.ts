import { unauthorized } from '@tollgate/common';
import { extractApiKey } from './api-key-extractor';
import { ANONYMOUS_IDENTITY, MASTER_IDENTITY, type CallerIdentity } from './caller-identity';
import { MasterKey } from './master-key';

type Headers = Record<string, string | string[] | undefined>;

/**
 * Resolves a request's headers to a caller identity or throws a 401 in OpenAI's shape. With no master key
 * configured every caller is admitted (startup allows that only on a loopback address).
 */
export class Authenticator {
  private readonly masterKey: MasterKey | undefined;

  constructor(masterKey: string | undefined) {
    this.masterKey = masterKey ? new MasterKey(masterKey) : undefined;
  }

  get enabled(): boolean {
    return this.masterKey !== undefined;
  }

  authenticate(headers: Headers): CallerIdentity {
    if (!this.masterKey) return ANONYMOUS_IDENTITY;
    const key = extractApiKey(headers);
    if (!key) {
      throw unauthorized(
        'No API key provided. Send it as "Authorization: Bearer <key>" (or in the "x-api-key" / "api-key" header).',
      );
    }
    if (this.masterKey.matches(key)) return MASTER_IDENTITY;
    throw unauthorized('Invalid API key. Check the key you are sending; keys are case-sensitive.');
  }
}
