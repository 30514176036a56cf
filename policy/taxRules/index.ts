/**
 * Lookup of the tax rule in force for a state, topic and day, and the flags a result carries when it rests on an
 * unsourced or uncertain row. Pure: the rows are passed in (default: TAX_RULE_ROWS), so a computation can be rebuilt
 * with the rows of its day.
 */
import { TAX_RULE_ROWS } from './rows';
import type { Day, RuleFlag, RuleInForce, TaxRuleRow, TaxRuleTopic, TaxState } from './types';

export * from './types';
export { DEFAULT_FILING, NO_STATE_SALES_TAX, RULE_STATES, SALES_TAX_STATES, TAX_RULE_ROWS } from './rows';
export { TAX_RULE_SOURCES } from './sources';

/** The version id of a row: state.topic@effectiveFrom (unique: a test checks it). */
export const ruleId = (row: TaxRuleRow): string => `${row.state}.${row.topic}@${row.effectiveFrom}`;

/** The row of `topic` for `state` in force on `day`, or undefined before the state's first row. */
export function ruleInForce<K extends TaxRuleTopic>(
  state: TaxState,
  topic: K,
  day: Day,
  rows: readonly TaxRuleRow[] = TAX_RULE_ROWS,
): RuleInForce<K> | undefined {
  let best: TaxRuleRow | undefined;
  for (const r of rows) {
    if (r.state !== state || r.topic !== topic || r.effectiveFrom > day) continue;
    if (!best || r.effectiveFrom > best.effectiveFrom) best = r;
  }
  if (!best) return undefined;
  const row = best as TaxRuleRow<K>;
  return { id: ruleId(row), row, value: row.value };
}

/** The flags of the rules a result used (deduplicated, in the order given). */
export function flagsOf(used: readonly (RuleInForce | undefined)[]): RuleFlag[] {
  const out = new Map<string, RuleFlag>();
  for (const u of used) {
    if (!u || out.has(u.id)) continue;
    const reason = u.row.unsourced ? 'unsourced' : u.row.uncertain ? 'uncertain' : undefined;
    if (reason) out.set(u.id, { ruleId: u.id, state: u.row.state, topic: u.row.topic, reason });
  }
  return [...out.values()];
}
