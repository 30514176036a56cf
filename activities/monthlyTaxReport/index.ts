import type { Db } from '../../db/knex';
import { readTaxSettings, type TaxReportSettings } from '../../shopSettings/tax';

/**
 * The monthly tax report's own activities (the report's computation, staging and status are activities/taxReport/;
 * the commit activities/taxCommit/): the shop's tax settings with its time zone resolved, read when a report starts.
 */
export function createMonthlyTaxReportActivities(deps: { db: Db }) {
  return {
    async readTaxReportSettings(input: { shopId: string }): Promise<TaxReportSettings> {
      return readTaxSettings(deps, input.shopId);
    },
  };
}

export type MonthlyTaxReportActivities = ReturnType<typeof createMonthlyTaxReportActivities>;
