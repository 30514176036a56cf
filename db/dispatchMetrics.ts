import { policy } from '../policy';
import type { Db } from './knex';

/**
 * The dispatch metrics read model: a shop's late dispatch rate (LDR) and valid tracking rate (VTR) over the windows
 * of the policy rows (policy/dispatchRows.ts), from the order_dispatch_events the order workflow records
 * (db/orders.ts). Read by GET /v1/shops/:shopId/metrics.
 */
export async function shopDispatchMetrics(db: Db, shopId: string, region: string, now: Date = new Date()) {
  const ldrDays = policy<number>(region, 'ldr.window.days', now).value;
  const vtrWindow = policy<{ min: number; max: number }>(region, 'vtr.window.days', now).value;
  const minScans = policy<number>(region, 'vtr.minCarrierScans', now).value;
  const since = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const dispatched = await db('order_dispatch_events')
    .where({ shop_id: shopId, kind: 'dispatched' })
    .where('occurred_at', '>=', since(Math.max(ldrDays, vtrWindow.max)))
    .select<{ order_id: string; occurred_at: Date; on_time: boolean | null }[]>('order_id', 'occurred_at', 'on_time');
  const inLdr = dispatched.filter((d) => d.occurred_at >= since(ldrDays));
  const inVtr = dispatched.filter((d) => d.occurred_at >= since(vtrWindow.max));
  const scans = await db('order_dispatch_events')
    .where({ shop_id: shopId, kind: 'tracking' })
    .whereIn(
      'order_id',
      inVtr.map((d) => d.order_id),
    )
    .groupBy('order_id')
    .select<{ order_id: string; count: string }[]>('order_id', db.raw('count(*) as count'));
  const scanned = new Map(scans.map((s) => [s.order_id, Number(s.count)]));
  const late = inLdr.filter((d) => d.on_time === false).length;
  const valid = inVtr.filter((d) => (scanned.get(d.order_id) ?? 0) >= minScans).length;
  const row = (key: string) => {
    const r = policy(region, key, now);
    return { value: r.value, source: r.source, effectiveFrom: r.effectiveFrom };
  };
  return {
    shopId,
    region,
    at: now.toISOString(),
    ldr: {
      windowDays: ldrDays,
      dispatched: inLdr.length,
      late,
      rate: inLdr.length === 0 ? null : late / inLdr.length,
      recommendedMax: row('ldr.recommendedMax'),
      enforcementAbove: row('ldr.enforcementAbove'),
    },
    vtr: {
      windowDays: vtrWindow.max,
      dispatched: inVtr.length,
      validTracking: valid,
      rate: inVtr.length === 0 ? null : valid / inVtr.length,
      min: row('vtr.min'),
      minCarrierScans: row('vtr.minCarrierScans'),
    },
  };
}
