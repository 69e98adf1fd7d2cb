/** Who is calling, as resolved by authentication; virtual keys, users and teams extend this later. */
export interface CallerIdentity {
  /** `master` for the master key, else the SHA-256 hex of the key; `anonymous` when auth is off. */
  keyHash: string;
  isMaster: boolean;
}

export const MASTER_IDENTITY: CallerIdentity = Object.freeze({ keyHash: 'master', isMaster: true });
export const ANONYMOUS_IDENTITY: CallerIdentity = Object.freeze({ keyHash: 'anonymous', isMaster: true });
