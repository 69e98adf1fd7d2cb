import { BoundedCache } from './bounded-cache';

/**
 * A wildcard `model_name` such as `anthropic/*`, `openai/gpt-4*`, `fo::*:static::*` or `*`: each `*` stands
 * for any run of characters (an empty one too), everything else must match exactly.
 */
export class WildcardPattern {
  /** The literal text between the wildcards: one more part than there are `*`. */
  private readonly parts: string[];
  /** Characters other than `*`: the more a pattern spells out, the more specific it is. */
  readonly literalLength: number;

  constructor(readonly pattern: string) {
    this.parts = pattern.split('*');
    this.literalLength = pattern.length - (this.parts.length - 1);
  }

  static isWildcard(name: string): boolean {
    return name.includes('*');
  }

  /**
   * The text each `*` stood for, in order, or undefined when `name` does not match. Each `*` takes as much
   * as it can (the captures a greedy regular expression would give), found without backtracking: the
   * literal parts are placed from the right, each as far right as the parts after it allow, so matching
   * stays linear in the name's length whatever the client sends.
   */
  match(name: string): string[] | undefined {
    const first = this.parts[0] as string;
    const last = this.parts[this.parts.length - 1] as string;
    if (this.parts.length === 1) return name === first ? [] : undefined;
    if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return undefined;
    const starts: number[] = [];
    starts[this.parts.length - 1] = name.length - last.length;
    for (let i = this.parts.length - 2; i >= 1; i--) {
      const part = this.parts[i] as string;
      const latest = (starts[i + 1] as number) - part.length;
      const at = latest < first.length ? -1 : name.lastIndexOf(part, latest);
      if (at < first.length) return undefined;
      starts[i] = at;
    }
    const captured: string[] = [];
    let cursor = first.length;
    for (let i = 1; i < this.parts.length; i++) {
      captured.push(name.slice(cursor, starts[i]));
      cursor = (starts[i] as number) + (this.parts[i] as string).length;
    }
    return captured;
  }

  /**
   * Orders patterns most specific first: more literal characters first, then more wildcards (LiteLLM's
   * tie-break), then the order they were configured in (the sort is stable).
   */
  static bySpecificity(a: WildcardPattern, b: WildcardPattern): number {
    return b.literalLength - a.literalLength || countStars(b.pattern) - countStars(a.pattern);
  }
}

function countStars(text: string): number {
  return text.split('*').length - 1;
}

/**
 * The upstream model string for a request matched by a wildcard group: each `*` of the deployment's
 * `litellm_params.model` takes the text the matching `*` of the pattern stood for (`anthropic/*` asked as
 * `anthropic/claude-x` gives `anthropic/claude-x`; `*` with model `openai/*` asked as `gpt-4o` gives
 * `openai/gpt-4o`). A model without `*` is used as it is. As in LiteLLM, when the pattern captured more
 * parts than the model has wildcards, the requested name itself is the model. Undefined when the model
 * would keep an unfilled `*`.
 */
export function substituteWildcards(model: string, captured: readonly string[], requested: string): string | undefined {
  const stars = countStars(model);
  if (stars === 0) return model;
  if (captured.length > stars) return requested;
  if (captured.length < stars) return undefined;
  let index = 0;
  return model.replace(/\*/g, () => captured[index++] as string);
}

// Patterns come from configuration and key/team model lists, so few are ever compiled; the bound only
// guards against lists that grow over a long uptime.
const compiled = new BoundedCache<string, WildcardPattern>(1024);

/** Whether `name` matches `pattern` when the pattern has a `*` in it; a pattern without one never matches here. */
export function matchesWildcard(pattern: string, name: string): boolean {
  if (!WildcardPattern.isWildcard(pattern)) return false;
  return compiled.getOrSet(pattern, (p) => new WildcardPattern(p)).match(name) !== undefined;
}
