import { computeAccountHealth } from '../../accountHealth';
import type { AccountMetric, MetricKey } from '../../accountHealth/model';
import { assessEligibility, noticeTime } from '../../appeal/eligibility';
import {
  breachEvidence,
  cancellationCause,
  countCauses,
  evidenceCounts,
  hoursLate,
  lateDispatchCause,
  newest,
} from '../../appeal/evidence';
import {
  APPEAL_EVIDENCE_PURPOSE,
  BREACH_METRIC,
  type AppealChange,
  type AppealEvidence,
  type AppealEvidenceRef,
  type BreachEvidence,
  type BreachType,
  type CancellationRecord,
  type InvalidTrackingRecord,
  type LateDispatchRecord,
  type SuspensionNotice,
} from '../../appeal/model';
import { createAccountHealthRepository, type OrderHealthFacts } from '../../db/accountHealth';
import { createCarrierTrackerRepository } from '../../db/carrierTrackers';
import { createInventoryRepository } from '../../db/inventory';
import { createNotificationRepository } from '../../db/notifications';
import { createOrderRepository } from '../../db/orders';
import { createShopSettingsRepository, type ShopSettingsChange } from '../../db/shopSettings';
import { changedPaths, effectiveShopSettings } from '../../shopSettings/schema';
import type { AppealContentDeps } from './content';

const DAY_MS = 86_400_000;
/** How far before the notice the health history and the changes reach when no breach window is longer. */
const LOOKBACK_DAYS = 30;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Step: gather a notice's evidence from our own records (issue 18 item 2) and store it as JSON in the file store; the
 * workflow keeps only the ref and counts. The metrics are account health's own computation at the notice's time
 * (computeAccountHealth, every offending order listed), so the plan's numbers are the account-health records'.
 */
export function createAppealEvidenceActivities(deps: AppealContentDeps) {
  const health = createAccountHealthRepository(deps.db);
  const orders = createOrderRepository(deps.db);
  const notifications = createNotificationRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const settings = createShopSettingsRepository(deps.db);
  const trackers = createCarrierTrackerRepository(deps.db);

  /** Each late dispatch with its deadlines, our hand-off, the warehouse's shipment, the scan and the escalations. */
  async function lateDispatches(shopId: string, metric: AccountMetric): Promise<LateDispatchRecord[]> {
    const ids = metric.offendingOrderIds;
    const [events, handOffs, raised, facts] = await Promise.all([
      orders.dispatchEventsOf(shopId, ids, ['dispatched', 'ready_to_ship']),
      orders.handOffsOf(shopId, ids),
      notifications.orderNotifications(shopId, ids),
      health.factsOf(shopId, ids),
    ]);
    const paid = new Map(facts.map((f) => [f.orderId, f.paidAt]));
    const handOff = new Map(handOffs.map((h) => [h.order_id, h]));
    return ids.map((orderId) => {
      const dispatched = events.find((e) => e.order_id === orderId && e.kind === 'dispatched')!;
      const rts = events.find((e) => e.order_id === orderId && e.kind === 'ready_to_ship');
      const detail = dispatched.detail as { readyToShipBy?: string; shippedAt?: string };
      const carrierScanBy = iso(dispatched.deadline) ?? dispatched.occurred_at.toISOString();
      const carrierScanAt = dispatched.occurred_at.toISOString();
      const deadline = new Date(carrierScanBy).getTime();
      const record = {
        handedToWarehouseAt: iso(handOff.get(orderId)?.handed_at),
        readyToShipBy: detail.readyToShipBy ?? iso(rts?.deadline),
        markedShippedAt: detail.shippedAt ?? iso(rts?.occurred_at),
        carrierScanBy,
      };
      return {
        orderId,
        paidAt: iso(paid.get(orderId)),
        ...record,
        carrierScanAt,
        hoursLate: hoursLate(carrierScanBy, carrierScanAt),
        cause: lateDispatchCause(record),
        escalations: raised
          .filter((n) => n.order_id === orderId && n.created_at.getTime() <= deadline)
          .map((n) => ({ kind: n.kind, at: n.created_at.toISOString() })),
        carrier: handOff.get(orderId)?.carrier ?? null,
      };
    });
  }

  async function invalidTracking(shopId: string, metric: AccountMetric): Promise<InvalidTrackingRecord[]> {
    const ids = metric.offendingOrderIds;
    const [events, handOffs] = await Promise.all([
      orders.dispatchEventsOf(shopId, ids, ['dispatched', 'tracking']),
      orders.handOffsOf(shopId, ids),
    ]);
    const carrier = new Map(handOffs.map((h) => [h.order_id, h.carrier]));
    return Promise.all(
      ids.map(async (orderId) => {
        const own = events.filter((e) => e.order_id === orderId);
        const tracker = await trackers.latest(shopId, orderId);
        return {
          orderId,
          dispatchedAt: own.find((e) => e.kind === 'dispatched')!.occurred_at.toISOString(),
          carrierScans: own.filter((e) => e.kind === 'tracking').length,
          carrier: carrier.get(orderId) ?? tracker?.carrier ?? null,
          trackingStatus: tracker?.status ?? null,
        };
      }),
    );
  }

  async function cancellations(shopId: string, metric: AccountMetric): Promise<CancellationRecord[]> {
    const facts = new Map(
      (await health.factsOf(shopId, metric.offendingOrderIds)).map((f): [string, OrderHealthFacts] => [f.orderId, f]),
    );
    return metric.offendingOrderIds.map((orderId) => {
      const f = facts.get(orderId)!;
      return {
        orderId,
        paidAt: iso(f.paidAt),
        cancelledAt: f.cancelledAt!.toISOString(),
        initiator: f.cancelInitiator,
        reason: f.cancelReason,
        cause: cancellationCause(f),
      };
    });
  }

  /** Settings changes in [from, to], oldest first (the audit trail is paged newest first). */
  async function settingsChanges(shopId: string, from: Date, to: Date): Promise<ShopSettingsChange[]> {
    const found: ShopSettingsChange[] = [];
    let beforeVersion: number | undefined;
    for (;;) {
      const page = await settings.changes(shopId, { limit: 100, beforeVersion });
      found.push(...page.filter((c) => c.changedAt >= from && c.changedAt <= to));
      const last = page.at(-1);
      if (!last || page.length < 100 || last.changedAt < from) break;
      beforeVersion = last.version;
    }
    return found.reverse();
  }

  /** What changed: settings (with their paths), escalations raised and the feed's behaviour, dated from our rows. */
  async function changes(shopId: string, asOf: Date, from: Date, to: Date): Promise<AppealChange[]> {
    const fromSettings = (await settingsChanges(shopId, from, to)).map((c): AppealChange => ({
      at: c.changedAt.toISOString(),
      kind: 'settings',
      summary: `Shop settings version ${c.version}: ${changedPaths(c.before, c.after).join(', ')} changed`,
      by: c.changedBy,
      paths: changedPaths(c.before, c.after),
      afterNotice: c.changedAt > asOf,
    }));
    const [before, since] = await Promise.all([
      notifications.countOrderNotifications(shopId, 'escalation:', from, asOf),
      notifications.countOrderNotifications(shopId, 'escalation:', asOf, to),
    ]);
    const escalations: AppealChange[] =
      since.count > 0
        ? [
            {
              at: since.first!.toISOString(),
              kind: 'escalation',
              summary:
                `${since.count} escalation(s) raised on orders before their dispatch deadline since the notice ` +
                `(${before.count} in the ${Math.round((asOf.getTime() - from.getTime()) / DAY_MS)} days before it)`,
              by: 'order workflow (dispatch clock)',
              afterNotice: true,
            },
          ]
        : [];
    return [...fromSettings, ...escalations].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /** The feed's change after the notice, when its out-of-stock delist latency moved. */
  function feedChange(feed: AppealEvidence['feed'], asOf: Date): AppealChange[] {
    const day = asOf.toISOString().slice(0, 10);
    const slowest = (days: typeof feed) =>
      days.reduce<number | null>((m, d) => (d.maxLagSeconds === null ? m : Math.max(m ?? 0, d.maxLagSeconds)), null);
    const beforeDays = feed.filter((d) => d.day <= day);
    const afterDays = feed.filter((d) => d.day > day);
    const was = slowest(beforeDays);
    const now = slowest(afterDays);
    if (afterDays.length === 0 || was === null || now === null || now === was) return [];
    return [
      {
        at: `${afterDays[0]!.day}T00:00:00.000Z`,
        kind: 'feed',
        summary:
          `Inventory feed: slowest out-of-stock → delist ${now}s since the notice (${was}s before it), ` +
          `${afterDays.reduce((n, d) => n + d.deactivations, 0)} SKU(s) taken off sale`,
        by: 'inventory feed',
        afterNotice: true,
      },
    ];
  }

  return {
    async gatherAppealEvidence(input: { shopId: string; notice: SuspensionNotice }): Promise<AppealEvidenceRef> {
      const { shopId, notice } = input;
      const asOf = noticeTime(notice);
      const now = new Date(Math.max(Date.now(), asOf.getTime()));
      const { breachTypes } = assessEligibility(notice);
      const report = await computeAccountHealth(deps, shopId, asOf, { offendingCap: Number.MAX_SAFE_INTEGER });
      const metric = (key: MetricKey) => report.metrics.find((m) => m.key === key)!;
      const has = (t: BreachType) => breachTypes.includes(t);
      const late = has('late_dispatch') ? await lateDispatches(shopId, metric('ldr')) : [];
      const tracking = has('valid_tracking') ? await invalidTracking(shopId, metric('vtr')) : [];
      const cancelled = has('seller_fault_cancellation') ? await cancellations(shopId, metric('sfcr')) : [];
      const causes: Record<BreachType, BreachEvidence['causes']> = {
        late_dispatch: countCauses(late.map((l) => l.cause)),
        valid_tracking: countCauses(tracking.map(() => 'too_few_scans' as const)),
        seller_fault_cancellation: countCauses(cancelled.map((c) => c.cause)),
      };
      const breaches = breachTypes.map((t) =>
        breachEvidence(t, metric(BREACH_METRIC[t]), notice.quotedMetrics?.[BREACH_METRIC[t]], causes[t]),
      );
      const earliest = Math.min(
        asOf.getTime() - LOOKBACK_DAYS * DAY_MS,
        ...breaches.map((b) => Date.parse(b.windowFrom)),
      );
      const from = new Date(earliest);
      const [history, feed, stored] = await Promise.all([
        health.history(shopId, from, now),
        inventory.feedDays(shopId, from, now),
        settings.get(shopId),
      ]);
      const found = await changes(shopId, asOf, from, now);
      const evidence: AppealEvidence = {
        shopId,
        region: report.region,
        notice,
        asOf: asOf.toISOString(),
        dataAsOf: '',
        score: { value: report.score.value, milestone: report.score.milestone?.threshold ?? null },
        history: history.map((h) => ({ day: h.day, score: h.scoreValue, milestone: h.milestone, rates: h.rates })),
        breaches,
        lateDispatches: late,
        invalidTracking: tracking,
        cancellations: cancelled,
        changes: [...found, ...feedChange(feed, asOf)].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
        feed,
        owners: effectiveShopSettings(stored?.settings).appealPlan.owners,
      };
      evidence.dataAsOf = newest(
        [
          ...evidence.history.map((h) => `${h.day}T00:00:00.000Z`),
          ...late.map((l) => l.carrierScanAt),
          ...tracking.map((t) => t.dispatchedAt),
          ...cancelled.map((c) => c.cancelledAt),
          ...evidence.changes.map((c) => c.at),
        ],
        evidence.asOf,
      );
      const file = await deps.files.put(shopId, Buffer.from(JSON.stringify(evidence)), {
        purpose: APPEAL_EVIDENCE_PURPOSE,
        createdBy: `appeal:${shopId}:${notice.noticeId}`,
      });
      return {
        shopId,
        noticeId: notice.noticeId,
        fileId: file.fileId,
        sha256: file.fileId,
        dataAsOf: evidence.dataAsOf,
        counts: evidenceCounts(evidence),
      };
    },
  };
}
