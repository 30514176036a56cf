// The tax section of a shop's settings as the monthly tax report uses it: the shop's tax time zone resolved (its own
// setting, else its region's, policy/regions.ts) and the approval window in milliseconds. Shared by the workflow's
// settings activity (activities/monthlyTaxReport/), the Schedule (temporal/taxReport.ts) and the API.
import type { Db } from '../db/knex';
import { createShopRepository } from '../db/shops';
import { createShopSettingsRepository } from '../db/shopSettings';
import { policy } from '../policy';
import { parseDuration } from './duration';
import { effectiveShopSettings, type ShopSettings } from './schema';

export type TaxEngineChoice = ShopSettings['tax']['engine'];

export interface TaxReportSettings {
  engine: TaxEngineChoice;
  /** IANA name. */
  timeZone: string;
  /** The hour (0-23, local) of the 1st of each month the Schedule fires. */
  scheduleHour: number;
  approvalWindowMs: number;
}

/** The region a shop not registered yet is taken to be in (the product runs US shops: policy/regions.ts). */
const DEFAULT_REGION = 'US';

/** The tax settings of `settings` for a shop of `region`. */
export function resolveTaxSettings(settings: ShopSettings, region: string | undefined): TaxReportSettings {
  const tax = settings.tax;
  const window = parseDuration(tax.approvalWindow);
  return {
    engine: tax.engine,
    timeZone: tax.timeZone ?? policy<string>(region ?? DEFAULT_REGION, 'region.timezone').value,
    scheduleHour: tax.scheduleHour,
    // The schema refuses an invalid window; a stored one that no longer parses falls back to the default's 10 days.
    approvalWindowMs: 'ms' in window ? window.ms : 10 * 86_400_000,
  };
}

/** A shop's tax settings, read from PostgreSQL (its saved settings over the defaults, and its region). */
export async function readTaxSettings(deps: { db: Db }, shopId: string): Promise<TaxReportSettings> {
  const [stored, region] = await Promise.all([
    createShopSettingsRepository(deps.db).get(shopId),
    createShopRepository(deps.db).region(shopId),
  ]);
  return resolveTaxSettings(effectiveShopSettings(stored?.settings), region);
}
