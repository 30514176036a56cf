// Account health: the emulator's dispatch and auto-cancel deadlines are shortened for new orders; three paid orders
// are shipped through the API but scanned by the carrier only after their dispatch deadline (late dispatches), a
// fourth is never shipped and TikTok cancels it (a seller-fault cancellation). The order events mark the shop dirty,
// its account-health workflow refreshes (at most once a minute) and a warning goes out naming the orders; the demo
// prints the metrics, the forecast and the chart's URL.
import { placeAndShip, stockedSku, type ShippedOrder } from './orders';
import { DemoError, seconds, type DemoContext, type DemoScenario } from './scenario';

/** New orders must be carrier-scanned this soon after being placed (emulator rule dispatchSlaOverrideMs). */
const DISPATCH_SLA_MS = 8_000;
/** A new order not shipped this soon after being placed is cancelled by TikTok (autoCancelOverrideMs). */
const AUTO_CANCEL_MS = 30_000;
const LATE_ORDERS = 3;
/** A refresh is at most a minute after the events (the workflow's throttle), plus the order workflows' reads. */
const WARNING_WITHIN_MS = 150_000;

interface Metric {
  key: string;
  name: string;
  rate: number | null;
  numerator: number;
  denominator: number;
  breached: string;
  offendingOrderIds: string[];
}

const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** Runs `fn` with the emulator's order deadlines shortened, then puts the rules back (also after a failure). */
export async function withShortDeadlines<T>(ctx: DemoContext, fn: () => Promise<T>): Promise<T> {
  const rules = (await ctx.emulator('/rules')) as Record<string, unknown>;
  const previous = {
    dispatchSlaOverrideMs: rules.dispatchSlaOverrideMs,
    autoCancelOverrideMs: rules.autoCancelOverrideMs,
  };
  await ctx.emulator('/rules', { dispatchSlaOverrideMs: DISPATCH_SLA_MS, autoCancelOverrideMs: AUTO_CANCEL_MS });
  ctx.log(
    `emulator: dispatch deadline ${seconds(DISPATCH_SLA_MS)}, auto-cancel ${seconds(AUTO_CANCEL_MS)} after an order`,
  );
  try {
    return await fn();
  } finally {
    await ctx.emulator('/rules', previous);
  }
}

/**
 * The carrier scans each shipped order a clear second after its dispatch deadline (late dispatches; inside
 * withShortDeadlines), then each order's workflow has it in transit.
 */
export async function scanAfterDeadline(ctx: DemoContext, shipped: readonly ShippedOrder[]): Promise<void> {
  for (const { orderId } of shipped) {
    const order = await ctx.emulator(`/orders/${orderId}`);
    // TikTok states the deadline in whole seconds, as it does the scan's time: a clear second after it.
    const due = (order.tts_sla_time as number) * 1000;
    await ctx.until(
      `order ${orderId}'s dispatch deadline`,
      () => Promise.resolve(Date.now() > due + 2_000),
      DISPATCH_SLA_MS + 30_000,
    );
    await ctx.emulator(`/orders/${orderId}/carrier-scan`, {});
  }
  ctx.log(`${shipped.length} orders scanned by the carrier after their dispatch deadline`);
  for (const { orderId } of shipped) {
    await ctx.until(`order ${orderId} dispatched (late) in its workflow`, async () => {
      const v = (await ctx.api('GET', `/v1/orders/${ctx.shop.shopId}/${orderId}`)).json;
      return v.state === 'IN_TRANSIT';
    });
  }
}

export const healthDemo: DemoScenario = {
  name: 'health',
  summary:
    "late dispatches and a seller-fault cancellation move the shop's account health until a warning fires; metrics, forecast, chart",
  async run(ctx) {
    const shopPath = `/v1/shops/${ctx.shop.shopId}`;
    const since = new Date().toISOString();
    const sku = await stockedSku(ctx, LATE_ORDERS + 1);
    const { late, cancelledId } = await withShortDeadlines(ctx, async () => {
      const shipped = await placeAndShip(
        ctx,
        sku,
        Array.from({ length: LATE_ORDERS }, () => 1),
      );
      // The fourth order is handed to the warehouse and never shipped: TikTok cancels it at its deadline.
      const unshipped = await ctx.emulator('/orders', {
        shop_id: ctx.shop.shopId,
        items: [{ sku_id: sku.skuId, quantity: 1 }],
        paid: true,
      });
      sku.available -= 1;
      ctx.log(`order ${unshipped.id as string} placed; nobody ships it`);
      await scanAfterDeadline(ctx, shipped);
      const cancelledId = unshipped.id as string;
      await ctx.until(
        `order ${cancelledId} cancelled by TikTok`,
        async () => (await ctx.emulator(`/orders/${cancelledId}`)).status === 'CANCELLED',
        AUTO_CANCEL_MS + 30_000,
      );
      ctx.log(`order ${cancelledId} cancelled by TikTok (not shipped in time: the seller's fault)`);
      return { late: shipped.map((o) => o.orderId), cancelledId };
    });

    // The warning: a notification from the shop's account-health workflow, raised after these events.
    const started = Date.now();
    const warning = await ctx
      .until(
        'an account-health warning',
        async () => {
          const { notifications } = (await ctx.api('GET', `/v1/notifications?shopId=${ctx.shop.shopId}&limit=50`)).json;
          return (notifications as { kind: string; title: string; body: string; created_at: string }[]).find(
            (n) =>
              n.kind.startsWith('account_health_') &&
              n.created_at >= since &&
              [...late, cancelledId].some((id) => n.body.includes(id)),
          );
        },
        WARNING_WITHIN_MS,
      )
      .catch(async (err: unknown) => {
        // Say what the shop's health shows, so a failure tells where it stopped.
        const { report, workflow } = (await ctx.api('GET', `${shopPath}/account-health`)).json;
        const rates = (report.metrics as Metric[]).map((m) => `${m.key} ${m.numerator}/${m.denominator}`).join(', ');
        throw new DemoError(
          `${(err as Error).message}; report: ${rates}, ${report.warnings.length} warning(s); workflow: ` +
            JSON.stringify(
              workflow && {
                refreshes: workflow.refreshes,
                dirty: workflow.dirty,
                lastError: workflow.lastError,
                warnings: workflow.summary?.warnings,
              },
            ),
        );
      });
    ctx.log(`warning after ${seconds(Date.now() - started)}: ${warning.title}`);
    ctx.log(warning.body);

    // The report counts each order once its workflow has read it back from TikTok (the cancellation may still be on
    // its way through the webhook when the first warning fires).
    const counts = (m: Metric | undefined, ids: string[]) => !!m && ids.every((id) => m.offendingOrderIds.includes(id));
    const { report, workflow, chart } = await ctx
      .until('the late dispatches and the cancellation in the report', async () => {
        const health = (await ctx.api('GET', `${shopPath}/account-health`)).json;
        const ms = health.report.metrics as Metric[];
        const ok =
          counts(
            ms.find((m) => m.key === 'ldr'),
            late,
          ) &&
          counts(
            ms.find((m) => m.key === 'sfcr'),
            [cancelledId],
          );
        return ok ? health : undefined;
      })
      .catch((err: unknown) => {
        throw new DemoError(`${(err as Error).message}: late ${late.join(', ')}, cancelled ${cancelledId}`);
      });
    const metrics = report.metrics as Metric[];
    for (const m of metrics)
      ctx.log(
        `  ${m.name}: ${pct(m.rate)} (${m.numerator}/${m.denominator}) ${m.breached === 'none' ? '' : `breached: ${m.breached}`}`,
      );
    const ldr = metrics.find((m) => m.key === 'ldr')!;
    const sfcr = metrics.find((m) => m.key === 'sfcr')!;
    const next = report.forecast.nextMilestone;
    const forecast =
      `score ${report.score.value} (${report.regime}${report.score.unverified.length > 0 ? ', unverified rows' : ''}), ` +
      `next milestone ${next.threshold ?? 'none'} ${next.risk}` +
      (next.drivers.length > 0 ? ` (drivers ${next.drivers.join(', ')})` : '') +
      `, reserve level ${report.forecast.reserve.level}`;
    ctx.log(`forecast: ${forecast}`);
    // The chart is served by the API (SVG, rendered on the server): the path is its location on OPS_API_URL.
    const svg = (await ctx.api('GET', chart)).json as unknown;
    if (typeof svg !== 'string' || !svg.startsWith('<svg')) throw new DemoError(`${chart} is not an SVG`);
    const chartUrl = `${chart} (SVG, ${svg.length} bytes)`;
    ctx.log(
      `chart: ${chartUrl}; workflow: ${workflow?.refreshes ?? 0} refreshes, risk ${workflow?.summary?.risk ?? '—'}`,
    );
    return (
      `LDR ${pct(ldr.rate)} (${ldr.numerator}/${ldr.denominator}) with late orders ${late.join(', ')}, ` +
      `SFCR ${pct(sfcr.rate)} (${sfcr.numerator}/${sfcr.denominator}) with order ${cancelledId} cancelled by TikTok; ` +
      `warning "${warning.title}"; ` +
      `forecast: ${forecast}; chart ${chartUrl}`
    );
  },
};
