import { randomBytes } from 'node:crypto';

/**
 * Makes ids for parallel-request slots. A slot id must be unique among the slots held at once by every replica
 * sharing the counters; a random part per source (64 bits) and a counter give that without drawing and
 * formatting a random UUID for every admission.
 */
export function slotIdSource(): () => string {
  const prefix = `${randomBytes(8).toString('base64url')}:`;
  let next = 0;
  return () => prefix + (next++).toString(36);
}
