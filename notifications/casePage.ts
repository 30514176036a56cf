import type { Notifier, Severity } from './notifier';

/** A case's notification naming who is paged: the shop's paging recipients for the severity (shop settings `paging`). */
export interface CasePage {
  /** Deduplicates a retried activity: the same key pages once. */
  dedupKey: string;
  shopId: string;
  kind: string;
  severity: Severity;
  title: string;
  body: string;
  recipients: string[];
}

/** Stores the notification (its delivery is the notificationDelivery workflow's), the recipients named in its body. */
export async function pageCase(notifier: Pick<Notifier, 'notify'>, page: CasePage): Promise<void> {
  const paged = page.recipients.length > 0 ? `\nPaging: ${page.recipients.join(', ')}` : '';
  await notifier.notify({
    dedupKey: page.dedupKey,
    shopId: page.shopId,
    kind: page.kind,
    severity: page.severity,
    title: page.title,
    body: `${page.body}${paged}`,
  });
}
