/**
 * Due dates of the returns of the states a seller is registered in (issue 20 item 3), from each state's filing rule
 * in force on the period's last day (policy/taxRules). Pure: no I/O, no clock.
 *
 * Where the sourced rule says a due date on a weekend or holiday moves to the next business day, holidays are the
 * observed US federal holidays (policy/usFederalHolidays.ts): the state's own legal holidays are not in the rows, so a
 * state holiday that is not a federal one is not skipped (the earlier date, never a late filing). Unsourced rules do
 * not move at all, and every due date resting on one is flagged.
 */
import { DEFAULT_FILING, flagsOf, ruleInForce } from '../policy/taxRules';
import type { FilingFrequency, FilingRules, RuleFlag, TaxRuleRow, TaxState } from '../policy/taxRules';
import { isObservedFederalHoliday } from '../policy/usFederalHolidays';
import { addDays, dateIn, endOfMonth, monthOf, yearOf, type Day } from './days';

/** What the calendar needs of a seller's registration (db/taxRegistrations.ts stores more). */
export interface FilingRegistration {
  state: TaxState;
  frequency: FilingFrequency;
  /** First day the registration applies (YYYY-MM-DD). */
  startDate: Day;
}

export interface FilingDue {
  state: TaxState;
  frequency: FilingFrequency;
  period: { from: Day; to: Day };
  /** The date the rule gives before any move off a weekend or holiday. */
  nominalDue: Day;
  due: Day;
  /** True when the due date was moved to the next business day. */
  moved: boolean;
  ruleId: string;
  /** The state's rule has no due date for this frequency: the unsourced default was used (flagged). */
  frequencyNotInRule?: true;
  flags: RuleFlag[];
}

const isWeekend = (d: Day): boolean => {
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
};

const MONTHS: Record<FilingFrequency, number> = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 };

/** The first month (1-12) of every period of `frequency` in a year under `rules`. */
function periodStartMonths(frequency: FilingFrequency, rules: FilingRules): number[] {
  const anchor =
    frequency === 'quarterly'
      ? (rules.quarterStartMonths?.[0] ?? 1)
      : frequency === 'monthly'
        ? 1
        : (rules.annualStartMonth ?? 1);
  const step = MONTHS[frequency];
  return Array.from({ length: 12 / step }, (_, i) => ((anchor - 1 + i * step) % 12) + 1).sort((a, b) => a - b);
}

/** The periods of `frequency` that end within [from, to]. */
function periodsEndingIn(frequency: FilingFrequency, rules: FilingRules, from: Day, to: Day): { from: Day; to: Day }[] {
  const out: { from: Day; to: Day }[] = [];
  const starts = periodStartMonths(frequency, rules);
  for (let y = yearOf(from) - 1; y <= yearOf(to); y++) {
    for (const m of starts) {
      const start = dateIn(y, m, 1);
      const end = endOfMonth(dateIn(y, m + MONTHS[frequency] - 1, 1));
      if (end >= from && end <= to) out.push({ from: start, to: end });
    }
  }
  return out.sort((a, b) => (a.to < b.to ? -1 : 1));
}

/** The due dates of every return whose period ends within [from, to], for each registration, oldest first. */
export function filingCalendar(input: {
  registrations: readonly FilingRegistration[];
  from: Day;
  to: Day;
  rows?: readonly TaxRuleRow[];
}): FilingDue[] {
  const out: FilingDue[] = [];
  for (const reg of input.registrations) {
    const probe = ruleInForce(reg.state, 'filing', input.to, input.rows);
    for (const period of periodsEndingIn(reg.frequency, probe?.value ?? DEFAULT_FILING, input.from, input.to)) {
      // A period that ends before the registration starts is not the seller's to file.
      if (period.to < reg.startDate) continue;
      const rule = ruleInForce(reg.state, 'filing', period.to, input.rows);
      if (!rule) continue;
      const stated = rule.value.due[reg.frequency];
      const dueRule = stated ?? DEFAULT_FILING.due[reg.frequency]!;
      const nominalDue = dateIn(yearOf(period.to), monthOf(period.to) + dueRule.monthsAfterPeriodEnd, dueRule.day);
      let due = nominalDue;
      if (stated && rule.value.weekendHolidayRoll === 'nextBusinessDay') {
        while (isWeekend(due) || isObservedFederalHoliday(due)) due = addDays(due, 1);
      }
      const flags = flagsOf([rule]);
      if (!stated) flags.push({ ruleId: rule.id, state: reg.state, topic: 'filing', reason: 'unsourced' });
      out.push({
        state: reg.state,
        frequency: reg.frequency,
        period,
        nominalDue,
        due,
        moved: due !== nominalDue,
        ruleId: rule.id,
        ...(stated ? {} : { frequencyNotInRule: true as const }),
        flags,
      });
    }
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.state < b.state ? -1 : 1));
}
