import { createTaxReportCommitActivities } from './commit';
import { createTaxReportComputeActivities } from './compute';
import type { TaxReportDeps, TaxReportTuning } from './deps';

export type { TaxReportDeps, TaxReportTuning } from './deps';
export type { ComputeTaxReportInput, ComputeTaxReportResult, TaxReportSummary } from './compute';

/**
 * The monthlyTaxReport workflow's activities: computing the month's report page by page (compute.ts), then, after
 * approval, staging its seller-owed transactions for the commit activities (activities/taxCommit/) and moving its
 * status (commit.ts).
 */
export function createTaxReportActivities(deps: TaxReportDeps, tuning?: TaxReportTuning) {
  return {
    ...createTaxReportComputeActivities(deps, tuning),
    ...createTaxReportCommitActivities(deps),
  };
}

export type TaxReportActivities = ReturnType<typeof createTaxReportActivities>;
