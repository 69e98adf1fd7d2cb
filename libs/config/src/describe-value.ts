/**
 * Describes what was found at a path for a problem message. Values of secret fields are described by
 * their kind only, so a key pasted in the wrong place never ends up in a log.
 */
const MAX_SHOWN_CHARS = 60;

export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export function describeFound(value: unknown, options: { secret?: boolean } = {}): string {
  if (options.secret) return kindOf(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    // Credentials embedded in URLs (user:password@host) are kept out of messages too.
    if (value.includes('@')) return 'a string';
    const shown = value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}...` : value;
    return JSON.stringify(shown);
  }
  return kindOf(value);
}
