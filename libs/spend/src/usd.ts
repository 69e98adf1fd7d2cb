import { decimalFromScaled, scaledInteger } from './decimal';

/**
 * An amount of US dollars as an integer count of picodollars (10^-12 USD). It is the scale of the spend
 * columns (`Decimal(24, 12)`) and of the spend events' decimal strings, so a request's cost is stored exactly
 * as computed and adding costs never drifts.
 */
export type Picodollars = bigint;

export const PICODOLLAR_SCALE = 12;

/** A cost as a plain decimal USD string ("0.00045"): the `x-litellm-response-cost` header and spend events. */
export function formatUsd(cost: Picodollars): string {
  return decimalFromScaled(cost, PICODOLLAR_SCALE);
}

/** A decimal USD string (a spend column, a budget) as picodollars; digits past the 12th decimal round half up. */
export function parseUsd(text: string): Picodollars {
  return scaledInteger(text, PICODOLLAR_SCALE);
}
