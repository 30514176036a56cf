// The rules of the dispute processes' human steps, pure (unit-tested in test/unit/disputeRules.test.ts): when the
// shop's reminders fire before the deadline, and which submissions and outcomes a validator refuses and why.
import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import { DEADLINE_PASSED, INVALID_DECISION } from './failureTypes';
import type { DisputeStage, OutcomeInput, SubmissionInput } from './disputeMessages';

export interface Reminder {
  /** The setting's offset ('24h'): the reminder's name in the view and in its notification's dedup key. */
  beforeDeadline: string;
  fireAt: number;
  severity: 'warning' | 'critical';
}

/** The shop's reminders (shopSettings `disputes.reminders`) before `deadlineMs`, earliest first; one per offset. */
export function reminderPlan(
  deadlineMs: number,
  reminders: readonly { beforeDeadline: string; severity: 'warning' | 'critical' }[],
): Reminder[] {
  const byOffset = new Map<number, Reminder>();
  for (const r of reminders) {
    const offset = msToNumber(r.beforeDeadline as Duration);
    if (byOffset.get(offset)?.severity === 'critical') continue;
    byOffset.set(offset, { beforeDeadline: r.beforeDeadline, fireAt: deadlineMs - offset, severity: r.severity });
  }
  return [...byOffset.values()].sort((a, b) => a.fireAt - b.fireAt);
}

/**
 * A validator's refusal: InvalidDecision (the API's 422), DeadlinePassed (409), or `Refused` (the case is not at that
 * step: 409 update_refused).
 */
export interface Refusal {
  type: typeof INVALID_DECISION | typeof DEADLINE_PASSED | 'Refused';
  message: string;
}

/** How far in the future a stated submission time may be (clocks of people's machines drift). */
const CLOCK_SKEW_MS = 5 * 60_000;
const DECIMAL = /^\d{1,14}(\.\d{1,2})?$/;

const isoTime = (text: unknown): number | undefined =>
  typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(text) && Number.isFinite(Date.parse(text))
    ? Date.parse(text)
    : undefined;

export function textField(value: unknown, name: string, max: number): Refusal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max)
    return { type: INVALID_DECISION, message: `${name} must be text of at most ${max} characters` };
  return undefined;
}

/** Why `input` cannot be recorded as the submission now (undefined: it can). */
export function refuseSubmission(
  input: SubmissionInput,
  c: { stage: DisputeStage; deadlineMs: number; openedFromMs: number },
  nowMs: number,
): Refusal | undefined {
  if (c.stage === 'expired' || nowMs >= c.deadlineMs)
    return {
      type: DEADLINE_PASSED,
      message: `the deadline ${new Date(c.deadlineMs).toISOString()} has passed: the evidence can no longer be submitted`,
    };
  if (c.stage === 'gathering_evidence')
    return { type: 'Refused', message: 'the evidence bundle is still being built: submit it once the step is open' };
  if (c.stage !== 'awaiting_submission') return { type: 'Refused', message: `the submission is already recorded` };
  if (input.submittedAt !== undefined) {
    const at = isoTime(input.submittedAt);
    if (at === undefined)
      return { type: INVALID_DECISION, message: 'submittedAt must be an ISO 8601 time, e.g. 2026-05-01T14:30:00Z' };
    if (at > nowMs + CLOCK_SKEW_MS) return { type: INVALID_DECISION, message: 'submittedAt is in the future' };
    if (at < c.openedFromMs)
      return { type: INVALID_DECISION, message: 'submittedAt is before the case began (the notice or the decision)' };
  }
  return textField(input.reference, 'reference', 200) ?? textField(input.note, 'note', 1000);
}

/** Hundredths of a decimal amount string (amounts here have at most 4 decimals: numeric(20,4)). */
const cents = (amount: string): number => Math.round(Number(amount) * 100);

/** Why `input` cannot be recorded as the outcome now (undefined: it can). */
export function refuseOutcome(
  input: OutcomeInput,
  c: { stage: DisputeStage; amount?: { amount: string } },
): Refusal | undefined {
  if (c.stage === 'awaiting_submission' || c.stage === 'gathering_evidence')
    return {
      type: 'Refused',
      message: 'no submission is recorded yet: record the submission first (recordSubmission)',
    };
  if (c.stage !== 'submitted') return { type: 'Refused', message: `the case is closed (${c.stage})` };
  const allowed = ['won', 'lost', 'partially_won'];
  if (!allowed.includes(input.outcome))
    return { type: INVALID_DECISION, message: `outcome must be one of ${allowed.join(', ')}` };
  const recovered = input.amountRecovered;
  if (recovered !== undefined && (typeof recovered !== 'string' || !DECIMAL.test(recovered)))
    return {
      type: INVALID_DECISION,
      message: "amountRecovered is a decimal amount with at most two decimals, e.g. '12.50'",
    };
  if (input.outcome === 'lost' && recovered !== undefined && cents(recovered) !== 0)
    return { type: INVALID_DECISION, message: 'a lost case recovers nothing: leave amountRecovered out' };
  if (input.outcome === 'partially_won') {
    if (recovered === undefined || cents(recovered) === 0)
      return { type: INVALID_DECISION, message: 'partially_won needs the amountRecovered (above 0)' };
    if (c.amount && cents(recovered) >= cents(c.amount.amount))
      return {
        type: INVALID_DECISION,
        message: `partially_won recovers less than the ${c.amount.amount} at stake (else it is won)`,
      };
  }
  if (recovered !== undefined && c.amount && cents(recovered) > cents(c.amount.amount))
    return { type: INVALID_DECISION, message: `amountRecovered is more than the ${c.amount.amount} at stake` };
  return textField(input.note, 'note', 1000);
}

/** The amount an accepted outcome recovered: as stated, else the whole amount for `won`, nothing for `lost`. */
export function recoveredAmount(input: OutcomeInput, amount?: { amount: string }): string | undefined {
  if (input.amountRecovered !== undefined) return input.amountRecovered;
  if (input.outcome === 'won') return amount?.amount;
  return input.outcome === 'lost' ? '0' : undefined;
}
