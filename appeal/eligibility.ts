/**
 * Whether the product drafts an appeal for a notice (issue 18 item 1): operational violations (late dispatch, valid
 * tracking, seller-fault cancellations) are accepted; counterfeit, intellectual-property and prohibited-product
 * cases, and notices naming nothing we measure, are refused with an explanation and where to go instead. The rules
 * and the appeal windows are rows in policy/appealRows.ts. Pure: no clock, no I/O (safe in workflow code).
 */
import { APPEAL_CATEGORY_KEYS, APPEAL_ROWS, UNRECOGNISED_RULE, type AppealCategoryRule } from '../policy/appealRows';
import { PolicyNotFoundError, policyValue, type PolicyRow } from '../policy/table';
import {
  BREACH_METRIC,
  type AppealEligibility,
  type AppealWindow,
  type BreachType,
  type SuspensionNotice,
} from './model';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a notice speaks for: its date-time, or the end of its date (UTC) when only a date was entered. */
export function noticeTime(notice: Pick<SuspensionNotice, 'noticeDate'>): Date {
  const at = DATE_ONLY.test(notice.noticeDate)
    ? new Date(`${notice.noticeDate}T23:59:59.999Z`)
    : new Date(notice.noticeDate);
  if (Number.isNaN(at.getTime())) throw new RangeError(`noticeDate "${notice.noticeDate}" is not an ISO date`);
  return at;
}

/** Lower case words separated by single spaces, padded, so a rule's phrase matches whole words only. */
const words = (text: string) =>
  ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

/** The row of `key` for the region in force at `at`, else the US row (a region without its own). */
function rowOf<T>(rows: readonly PolicyRow[], region: string, key: string, at: Date): PolicyRow<T> {
  try {
    return policyValue<T>(rows, region, key, at);
  } catch (err) {
    if (!(err instanceof PolicyNotFoundError) || region === 'US') throw err;
    return policyValue<T>(rows, 'US', key, at);
  }
}

/** The window of the first appeal: the ticket's own deadline when entered, else the notice + the row's days. */
export function appealWindow(notice: SuspensionNotice, rows: readonly PolicyRow[] = APPEAL_ROWS): AppealWindow {
  const at = noticeTime(notice);
  const first = rowOf<number>(rows, notice.region, 'appeals.firstAppealWindowMs', at);
  const second = rowOf<number>(rows, notice.region, 'appeals.secondAppealWindowMs', at);
  const secondAppealDays = second.value / 86_400_000;
  if (notice.appealBy !== undefined) {
    const by = new Date(notice.appealBy);
    if (Number.isNaN(by.getTime())) throw new RangeError(`appealBy "${notice.appealBy}" is not an ISO date`);
    return {
      appealBy: by.toISOString(),
      secondAppealDays,
      from: 'notice',
      source: 'the deadline written on the violation ticket',
      uncertain: false,
    };
  }
  return {
    appealBy: new Date(at.getTime() + first.value).toISOString(),
    days: first.value / 86_400_000,
    secondAppealDays,
    from: 'policy',
    source: first.source,
    uncertain: first.uncertain === true,
  };
}

/**
 * Classifies the notice by its policy and reason. Refusal rules are tried first (a counterfeit notice that also
 * mentions late shipments is still refused); every operational rule that matches adds its breach type.
 */
export function assessEligibility(
  notice: SuspensionNotice,
  rows: readonly PolicyRow[] = APPEAL_ROWS,
): AppealEligibility {
  const at = noticeTime(notice);
  const text = words(`${notice.violatedPolicy} ${notice.reason}`);
  const rules = APPEAL_CATEGORY_KEYS.map((key) => ({
    key,
    row: rowOf<AppealCategoryRule>(rows, notice.region, key, at),
  }));
  const matches = ({ row }: (typeof rules)[number]) => row.value.match.some((m) => text.includes(words(m)));
  const window = appealWindow(notice, rows);
  const refused = rules.find((r) => !r.row.value.appealable && matches(r));
  if (refused) return decision(refused.row.value, [], window, refused.key, refused.row.source);
  const accepted = rules.filter((r) => r.row.value.appealable && matches(r));
  // A notice with quoted metrics names its breaches too (e.g. { ldr: 0.12 } on a notice whose text is vague).
  const quoted = Object.keys(notice.quotedMetrics ?? {});
  const byMetric = rules.filter(
    (r) => r.row.value.appealable && r.row.value.breachTypes.some((b) => quoted.includes(BREACH_METRIC[b])),
  );
  const all = [...accepted, ...byMetric.filter((r) => !accepted.includes(r))];
  const first = all[0];
  if (!first)
    return decision(UNRECOGNISED_RULE, [], window, 'appeals.category.unrecognised', UNRECOGNISED_RULE.explanation);
  const breachTypes = [...new Set(all.flatMap((r) => r.row.value.breachTypes))];
  return decision(first.row.value, breachTypes, window, first.key, first.row.source);
}

function decision(
  rule: AppealCategoryRule,
  breachTypes: BreachType[],
  window: AppealWindow,
  key: string,
  source: string,
): AppealEligibility {
  return {
    eligible: rule.appealable,
    category: rule.category,
    breachTypes,
    explanation: rule.explanation,
    whereToGo: rule.whereToGo,
    window,
    rule: { key, source },
  };
}
