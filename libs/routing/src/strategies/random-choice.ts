/** Random choices over small lists, all driven by an injectable `random()` in [0, 1) so tests can seed them. */
export type Random = () => number;

export function randomItem<T>(items: readonly T[], random: Random): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))];
}

/**
 * One item, with probability proportional to its weight (weights positive). Walks the cumulative weights, so
 * `random()` values spread evenly over [0, 1) land on each item in exact proportion.
 */
export function weightedItem<T>(items: readonly T[], weights: readonly number[], random: Random): T {
  let total = 0;
  for (const weight of weights) total += weight;
  let point = random() * total;
  for (let i = 0; i < items.length; i++) {
    point -= weights[i];
    if (point < 0) return items[i];
  }
  // Rounding can leave a sliver past the last weight.
  return items[items.length - 1];
}

/** A copy in random order (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * A copy in weighted random order: each position is drawn among the items left with probability proportional
 * to their weights (Efraimidis-Spirakis keys).
 */
export function weightedOrder<T>(items: readonly T[], weights: readonly number[], random: Random): T[] {
  const keyed = items.map((item, i) => ({ item, key: Math.pow(random(), 1 / weights[i]) }));
  keyed.sort((a, b) => b.key - a.key);
  return keyed.map(({ item }) => item);
}
