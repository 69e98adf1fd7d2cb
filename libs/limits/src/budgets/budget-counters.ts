import type { CallerIdentity, Limits } from '@tollgate/auth';
import { currentPeriodEnd, parseBudgetDuration, type BudgetDuration } from '@tollgate/spend';
import { identityMemo } from '../identity-memo';
import type { EndUserLimits } from '../limit-scopes';

export type BudgetScope = 'key' | 'key_model' | 'user' | 'team' | 'team_member' | 'organization' | 'end_user';

/** One owner's live spend for the current budget period, with the budgets that apply to it. */
export interface BudgetCounter {
  scope: BudgetScope;
  /** Names the budget's owner to callers: key alias or masked key, user/team/organization/end-user id. */
  subject: string;
  /** Identifies the counter in the store: one per owner, whatever the period. */
  counter: string;
  /** The period the spend belongs to: its end in ms since the epoch, or 0 for a budget that never resets. */
  period: number;
  /** The counter's value when the store has none for this period (spend already in the database), nano-USD. */
  seedNanos: number;
  maxBudget?: number;
  softBudget?: number;
  /** Set for `key_model`. */
  model?: string;
}

export const NANOS_PER_USD = 1e9;

/** A budget that is set: a finite number, zero or more. */
function budgetValue(value: number | undefined | null): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The period of a budget at `now` and what its counter starts from. The database's spend counts only while
 * its stored reset time is still the current period's end; once that time has passed the period is new and
 * starts at zero, even before the worker's reset job has zeroed the stored spend.
 */
function periodOf(limits: Limits, now: number): { period: number; seedNanos: number } {
  const spendNanos = Math.round(limits.spend * NANOS_PER_USD);
  const duration = limits.budgetDuration ? parseBudgetDuration(limits.budgetDuration) : undefined;
  if (!duration || limits.budgetResetAt === undefined) return { period: 0, seedNanos: spendNanos };
  const period = currentPeriodEnd(limits.budgetResetAt, duration, now);
  return { period, seedNanos: period === limits.budgetResetAt ? spendNanos : 0 };
}

/** A budget's owner and what does not change between requests: everything but the period. */
interface BudgetOwner {
  scope: BudgetScope;
  subject: string;
  counter: string;
  maxBudget?: number;
  softBudget?: number;
  /** The owner's limits: their period and stored spend (absent for `key_model`, whose windows are fixed). */
  limits?: Limits;
  model?: string;
  duration?: BudgetDuration;
}

function ownerOf(scope: BudgetScope, id: string, subject: string, limits: Limits | undefined): BudgetOwner | undefined {
  if (!limits) return undefined;
  const maxBudget = budgetValue(limits.maxBudget);
  const softBudget = budgetValue(limits.softBudget);
  if (maxBudget === undefined && softBudget === undefined) return undefined;
  return { scope, subject, counter: `${scope}:${id}`, maxBudget, softBudget, limits };
}

function counterAt(owner: BudgetOwner, now: number): BudgetCounter {
  if (!owner.limits) {
    return { scope: owner.scope, subject: owner.subject, counter: owner.counter, period: windowEnd(owner.duration, now), seedNanos: 0, maxBudget: owner.maxBudget, model: owner.model };
  }
  const { period, seedNanos } = periodOf(owner.limits, now);
  return { scope: owner.scope, subject: owner.subject, counter: owner.counter, period, seedNanos, maxBudget: owner.maxBudget, softBudget: owner.softBudget };
}

/** Fixed windows from the epoch for `model_max_budget` (there is no stored reset time per model). */
function windowEnd(duration: BudgetDuration | undefined, now: number): number {
  if (!duration) return 0;
  return currentPeriodEnd(0, duration, now);
}

/** `model_max_budget[model]` in either of LiteLLM's shapes: `{budget_limit, time_period}` or `{max_budget, budget_duration}`. */
function modelBudgetOf(entry: unknown): { maxBudget?: number; duration?: BudgetDuration } {
  if (typeof entry === 'number') return { maxBudget: budgetValue(entry) };
  if (!entry || typeof entry !== 'object') return {};
  const fields = entry as Record<string, unknown>;
  const limit = fields.budget_limit ?? fields.max_budget;
  const period = fields.time_period ?? fields.budget_duration;
  return {
    maxBudget: budgetValue(typeof limit === 'number' ? limit : typeof limit === 'string' ? Number(limit) : undefined),
    duration: typeof period === 'string' ? parseBudgetDuration(period) : undefined,
  };
}

const ownersOfIdentity = identityMemo((identity: CallerIdentity, model: string) => budgetOwners(identity, model, undefined));

/**
 * Every budget that applies to a request, in the order they are reported when several are exhausted. As in
 * LiteLLM, a key that belongs to a team is held to the team's budget, not its user's personal one.
 */
export function applicableBudgets(identity: CallerIdentity, model: string, endUser: EndUserLimits | undefined, now: number): BudgetCounter[] {
  const owners = endUser ? budgetOwners(identity, model, endUser) : ownersOfIdentity(identity, model);
  return owners.map((owner) => counterAt(owner, now));
}

function budgetOwners(identity: CallerIdentity, model: string, endUser: EndUserLimits | undefined): BudgetOwner[] {
  const { key, user, team, organization } = identity;
  const keySubject = key ? (key.alias ?? key.name) : identity.keyHash;
  const owners: (BudgetOwner | undefined)[] = [
    key && ownerOf('key', identity.keyHash, keySubject, key.limits),
    team && ownerOf('team', team.id, team.alias ?? team.id, team.limits),
    team && user && ownerOf('team_member', `${team.id}:${user.id}`, `${user.id} in team ${team.alias ?? team.id}`, team.memberLimits),
    !team && user ? ownerOf('user', user.id, user.id, user.limits) : undefined,
    organization && ownerOf('organization', organization.id, organization.id, organization.limits),
    endUser && ownerOf('end_user', endUser.id, endUser.id, endUser.limits),
  ];
  const modelBudget = key?.limits.modelMaxBudget ? modelBudgetOf(key.limits.modelMaxBudget[model]) : {};
  if (key && modelBudget.maxBudget !== undefined) {
    owners.push({
      scope: 'key_model',
      subject: keySubject,
      counter: `key_model:${identity.keyHash}:${model}`,
      maxBudget: modelBudget.maxBudget,
      model,
      duration: modelBudget.duration,
    });
  }
  return owners.filter((owner): owner is BudgetOwner => owner !== undefined);
}
