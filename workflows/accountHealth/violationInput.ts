// The recordViolation update's validator (pure: unit-tested in test/unit/accountHealthViolationInput.test.ts). A
// person types these from a Seller Center notice: a mistyped date or points figure is refused before anything is
// recorded, with a message the API returns as 422.
import type { RecordViolationInput } from './messages';

const MAX_POINTS = 1000;
/** A notice older than the longest window any regime counts (180 days, US AHR) no longer moves the score. */
const MAX_AGE_MS = 366 * 86_400_000;
/** Seller Center dates a notice when it is issued; a few minutes ahead covers clocks, not the future. */
const MAX_AHEAD_MS = 10 * 60_000;

/** What is wrong with `input` at `nowMs` (workflow time); empty when it may be recorded. */
export function violationInputProblems(input: Partial<RecordViolationInput>, nowMs: number): string[] {
  const problems: string[] = [];
  const text = (v: unknown, max: number) => typeof v === 'string' && v.trim() !== '' && v.length <= max;
  if (!text(input.noticeId, 100)) problems.push('noticeId must be the notice id from Seller Center (1-100 characters)');
  if (!text(input.policy, 200)) problems.push('policy must name the violated policy (1-200 characters)');
  if (
    typeof input.points !== 'number' ||
    !Number.isInteger(input.points) ||
    input.points < 1 ||
    input.points > MAX_POINTS
  )
    problems.push(`points must be a whole number from 1 to ${MAX_POINTS}`);
  const at = typeof input.occurredAt === 'string' ? Date.parse(input.occurredAt) : NaN;
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(input.occurredAt ?? ''))
    problems.push('occurredAt must be an ISO 8601 date-time');
  else if (at > nowMs + MAX_AHEAD_MS) problems.push('occurredAt is in the future');
  else if (at < nowMs - MAX_AGE_MS) problems.push('occurredAt is more than a year ago: the violation no longer counts');
  if (input.note !== undefined && (typeof input.note !== 'string' || input.note.length > 1000))
    problems.push('note must be text of at most 1000 characters');
  return problems;
}
