/**
 * US sales-tax rules as effective-dated rows (issue 20 item 2): one row per state, topic and start date. A change of
 * rule is a new row with a later `effectiveFrom`, never an edit, so a month computed under the old row can be rebuilt
 * exactly. Every row either names its public source or is `unsourced: true` with a conservative default; code that
 * uses an unsourced or uncertain row reports it (see `flagsOf` in policy/taxRules/index.ts).
 */

/** Two-letter USPS code of a state (or DC) that has a sales tax. */
export type TaxState = string;

/** A calendar date, YYYY-MM-DD. */
export type Day = string;

/**
 * The period whose sales are compared with the threshold, and when it is tested.
 * - `calendarYear`: `previous` = the whole previous calendar year (tested from 1 January); `previousOrCurrent` also
 *   counts the current year to date, tested every day (the threshold is met on the day the running total reaches it).
 * - `trailing12Months`: the 12 calendar months ending on the last day of each month listed in `testedAtMonthEnds`
 *   (1 = January): all twelve for a monthly test, [3, 6, 9, 12] for calendar quarters, [2, 5, 8, 11] for New
 *   York's sales-tax quarters, [9] for Connecticut's 12 months ending 30 September.
 */
export type MeasurementWindow =
  | { kind: 'calendarYear'; years: 'previous' | 'previousOrCurrent' }
  | { kind: 'trailing12Months'; testedAtMonthEnds: readonly number[] };

/** Which sales figure the amount threshold is measured on (the daily totals carry all three). */
export type SalesBasis = 'gross' | 'retail' | 'taxable';

export interface EconomicThreshold {
  /** USD; met when the measured sales are at least this amount. */
  amount: number;
  /** Number of separate sales; met at this count or more (NY's "more than 100" is 101). Absent: no count test. */
  transactions?: number;
  /** How the amount and the count tests combine when both exist. */
  combine: 'or' | 'and';
  window: MeasurementWindow;
  basis: SalesBasis;
  /** Whether the seller's marketplace-facilitated (TikTok) sales count toward its own threshold. */
  marketplaceSalesCount: boolean;
}

export interface MarketplaceFacilitator {
  /** The state's marketplace facilitator law is in force from this row's effectiveFrom: TikTok collects and remits. */
  facilitatorCollects: boolean;
}

/**
 * When a seller must be registered after nexus arises on day D:
 * - `withinDays`: D + days;
 * - `firstOfMonthAfter`: the 1st of the month `months` after D's month (1 = next month; TX: 4);
 * - `firstOfMonthAfterDays`: the 1st of the month after D + days (CO: 90);
 * - `firstOfMonthOnOrAfterDays`: the 1st of the first month that starts on or after D + days (AZ: 30);
 * - `nextFixedDate`: the next occurrence of MM-DD after D (CT: 10-01, PA: 04-01, MI: 01-01).
 */
export type RegistrationStart =
  | { kind: 'withinDays'; days: number }
  | { kind: 'firstOfMonthAfter'; months: number }
  | { kind: 'firstOfMonthAfterDays'; days: number }
  | { kind: 'firstOfMonthOnOrAfterDays'; days: number }
  | { kind: 'nextFixedDate'; monthDay: string };

export type FilingFrequency = 'monthly' | 'quarterly' | 'semiannual' | 'annual';

/** The due date of a return: `day` of the month `monthsAfterPeriodEnd` after the period's last month. */
export interface DueRule {
  monthsAfterPeriodEnd: number;
  day: number | 'last';
}

export interface FilingRules {
  /** The frequencies the state assigns, with the due date of each. */
  due: Partial<Record<FilingFrequency, DueRule>>;
  /** First months (1 = January) of the state's quarters; [1, 4, 7, 10] unless the state says otherwise (NY). */
  quarterStartMonths?: readonly number[];
  /** First month of the annual period (NY: March). Default January. */
  annualStartMonth?: number;
  /** A due date on a weekend or holiday moves to the next business day (`nextBusinessDay`) or stays (`none`). */
  weekendHolidayRoll: 'nextBusinessDay' | 'none';
  /** How the state assigns the frequency, in its words (for the reader of a report). */
  assignment?: string;
}

export interface VendorDiscount {
  /** Share of the tax due the seller may keep for filing on time (0 = none). */
  rate: number;
  /** Cap per return in USD, if any. */
  capPerReturn?: number;
}

/**
 * Physical nexus from inventory. `relief` names the state's exception for stock held only at a marketplace's
 * fulfilment facility: `marketplaceStockBelowThreshold` (TX: no permit below the economic threshold when the only
 * Texas presence is stock at the marketplace provider's facility), `marketplaceOnlySales` (NY: no registration
 * when the marketplace collects on all the seller's NY sales and it makes no other NY sales).
 */
export interface InventoryRule {
  inventoryCreatesNexus: boolean;
  relief: 'none' | 'marketplaceStockBelowThreshold' | 'marketplaceOnlySales';
}

export interface TaxRuleValues {
  threshold: EconomicThreshold;
  marketplace: MarketplaceFacilitator;
  registration: RegistrationStart;
  filing: FilingRules;
  vendorDiscount: VendorDiscount;
  inventory: InventoryRule;
}

export type TaxRuleTopic = keyof TaxRuleValues;

interface RowBase<K extends TaxRuleTopic> {
  state: TaxState;
  topic: K;
  value: TaxRuleValues[K];
  /** First day (inclusive) the row applies. */
  effectiveFrom: Day;
  /** Why it is written this way, when the value needs a word (e.g. why effectiveFrom is what it is). */
  note?: string;
}

/** A sourced row: `source` is a key of TAX_RULE_SOURCES; `uncertain` when the sources disagree (taken conservatively). */
export interface SourcedRow<K extends TaxRuleTopic = TaxRuleTopic> extends RowBase<K> {
  source: string;
  uncertain?: true;
  unsourced?: never;
}

/** No source was found: the value is a conservative default, flagged wherever it is used. */
export interface UnsourcedRow<K extends TaxRuleTopic = TaxRuleTopic> extends RowBase<K> {
  unsourced: true;
  source?: never;
}

export type TaxRuleRow<K extends TaxRuleTopic = TaxRuleTopic> = SourcedRow<K> | UnsourcedRow<K>;

/** A row as used by a computation, with the id that names its version (state.topic@effectiveFrom). */
export interface RuleInForce<K extends TaxRuleTopic = TaxRuleTopic> {
  id: string;
  row: TaxRuleRow<K>;
  value: TaxRuleValues[K];
}

/** A warning that a result rests on an unsourced or uncertain row. */
export interface RuleFlag {
  ruleId: string;
  state: TaxState;
  topic: TaxRuleTopic;
  reason: 'unsourced' | 'uncertain';
}
