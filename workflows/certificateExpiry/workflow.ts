import { proxyActivities } from '@temporalio/workflow';
import type { CertificateExpiryActivities } from '../../activities/certificateExpiry';
import { upsertCaseAttributes } from '../shared/searchAttributes';
import type { CertificateExpiryInput, CertificateExpiryResult } from './messages';
import { expiryThreshold, vaultRisk } from './thresholds';

const acts = proxyActivities<CertificateExpiryActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

const DEFAULT_WITHIN_DAYS = 30;

/**
 * The shop's daily certificate check (issue 19 item 1), started by its Schedule (`certificate-expiry:<shopId>`):
 * list the vault's documents expiring within 30 days (expired ones included) → notify each at its threshold (30 days,
 * 7 days, expired), once per document, expiry and threshold (the notifier's dedup key) → publish the soonest expiry
 * and the vault's risk as the case attributes.
 */
export async function certificateExpiry(input: CertificateExpiryInput): Promise<CertificateExpiryResult> {
  const { shopId } = input;
  const asOf = new Date().toISOString();
  const docs = await acts.listExpiringCertificates({
    shopId,
    withinDays: input.withinDays ?? DEFAULT_WITHIN_DAYS,
    asOf,
  });
  const notifications: string[] = [];
  for (const certificate of docs) {
    const { notificationId } = await acts.notifyCertificateExpiry({
      shopId,
      certificate,
      threshold: expiryThreshold(certificate.daysLeft),
    });
    notifications.push(notificationId);
  }
  const earliestExpiry = docs.length ? docs.map((d) => d.expiresOn).sort()[0]! : null;
  upsertCaseAttributes({
    shopId,
    kind: 'certificate_expiry',
    caseId: shopId,
    stage: `${docs.length} expiring`,
    risk: vaultRisk(docs),
    nextDeadline: earliestExpiry && `${earliestExpiry}T00:00:00.000Z`,
  });
  return { checked: docs.length, notifications, earliestExpiry };
}
