import type { CaseRiskLevel } from '../shared/searchAttributes';
import type { ExpiringCertificate, ExpiryThreshold } from './messages';

/** Renewals take weeks (a lab test, an FDA or UL renewal): a first notice at 30 days, a second at 7, one when expired. */
export function expiryThreshold(daysLeft: number): ExpiryThreshold {
  if (daysLeft < 0) return 'expired';
  return daysLeft <= 7 ? '7d' : '30d';
}

/** The case risk of the shop's vault: late once a document expired, at risk within 7 days, done when none expires. */
export function vaultRisk(docs: readonly Pick<ExpiringCertificate, 'daysLeft'>[]): CaseRiskLevel {
  if (docs.length === 0) return 'done';
  const soonest = Math.min(...docs.map((d) => d.daysLeft));
  if (soonest < 0) return 'late';
  return soonest <= 7 ? 'at_risk' : 'on_track';
}
