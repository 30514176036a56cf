// The certificateExpiry workflow's activities: the vault's documents expiring within the window (ids and dates), and
// one notification per document, expiry and threshold (the notifier's dedup key keeps a retried or repeated run from
// notifying twice).
import { createCertificateRepository } from '../../db/certificates';
import type { Db } from '../../db/knex';
import type { Notifier } from '../../notifications/notifier';
import { certificateTypeRule, daysUntilExpiry } from '../../policy/certificateRules';
import type { ExpiringCertificate, ExpiryThreshold } from '../../workflows/certificateExpiry/messages';

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** Same document, same expiry, same threshold: one notification. A renewed expiry date notifies afresh. */
export const expiryDedupKey = (
  shopId: string,
  c: Pick<ExpiringCertificate, 'certificateId' | 'expiresOn'>,
  t: ExpiryThreshold,
) => `certificate-expiry:${shopId}:${c.certificateId}:${c.expiresOn}:${t}`;

const SEVERITY = { '30d': 'info', '7d': 'warning', expired: 'critical' } as const;

export function createCertificateExpiryActivities(deps: { db: Db; notifier: Pick<Notifier, 'notify'> }) {
  const certificates = createCertificateRepository(deps.db);
  return {
    async listExpiringCertificates(input: {
      shopId: string;
      withinDays: number;
      asOf: string;
    }): Promise<ExpiringCertificate[]> {
      const asOf = new Date(input.asOf);
      const rows = await certificates.list(input.shopId, {
        expiresBy: dayOf(new Date(asOf.getTime() + input.withinDays * DAY_MS)),
        limit: 500,
      });
      return rows.map((r) => ({
        certificateId: r.certificate_id,
        documentType: r.document_type,
        documentLabel: certificateTypeRule(r.document_type)?.value.label ?? r.document_type,
        identifier: r.identifier,
        product: r.product,
        expiresOn: r.expires_on!,
        daysLeft: daysUntilExpiry(r.expires_on!, asOf),
      }));
    },

    async notifyCertificateExpiry(input: {
      shopId: string;
      certificate: ExpiringCertificate;
      threshold: ExpiryThreshold;
    }): Promise<{ notificationId: string }> {
      const { shopId, certificate: c, threshold } = input;
      const what = `${c.documentLabel}${c.identifier ? ` ${c.identifier}` : ''}${c.product ? ` (${c.product})` : ''}`;
      const when =
        threshold === 'expired' ? `expired on ${c.expiresOn}` : `expires on ${c.expiresOn} (${c.daysLeft} days)`;
      const row = await deps.notifier.notify({
        dedupKey: expiryDedupKey(shopId, c, threshold),
        shopId,
        kind: 'certificate_expiry',
        severity: SEVERITY[threshold],
        title: `Certificate ${threshold === 'expired' ? 'expired' : 'expiring'}: ${c.documentLabel}`,
        body:
          `${what} ${when}. Upload the renewed document to the vault before the category's products lose it: ` +
          `PATCH or POST /v1/shops/${shopId}/certificates (certificate ${c.certificateId}).`,
      });
      return { notificationId: String(row.id) };
    },
  };
}

export type CertificateExpiryActivities = ReturnType<typeof createCertificateExpiryActivities>;
