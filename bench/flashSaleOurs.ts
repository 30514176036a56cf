/**
 * The flash sale against OUR system: API + worker (child processes) on Temporal and PostgreSQL, the shop connected
 * through OAuth, the catalog imported, the warehouse simulator behind WMS_URL reporting shipments through
 * `POST /v1/orders/:shopId/:orderId/shipments` and counts through `POST /v1/inventory/events`.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createDb } from '../db/knex';
import { ensureDatabase } from '../db/ensureDatabase';
import { freePort } from '../db/embeddedPostgres';
import {
  applyFaults,
  duplicateMutations,
  makePlan,
  orderFigures,
  p,
  runSale,
  sleep,
  startWorld,
  TikTokObserver,
  unitsOversold,
  Warehouse,
  type EmulatorRecord,
  type Figures,
  type SalePlan,
} from './flashSaleWorld';
import { APP_KEY, APP_SECRET, connectShop, importCatalog, rssSampler, startProduct, startWms } from './flashSaleStack';

export interface ScenarioParams {
  quick: boolean;
  seed: number;
  orders: number;
  skus: number;
  saleMs: number;
  shipDelayMaxMs: number;
  /** How long after the sale we wait for everything to be handed off and marked shipped. */
  drainTimeoutMs: number;
  /** Baseline polling period (15 min, scaled like the sale in quick mode). */
  baselinePeriodMs: number;
}

export function scenarioParams(quick: boolean, seed = 7): ScenarioParams {
  return quick
    ? {
        quick,
        seed,
        orders: 100,
        skus: 10,
        saleMs: 60_000,
        shipDelayMaxMs: 10_000,
        drainTimeoutMs: 45_000,
        baselinePeriodMs: 90_000,
      }
    : {
        quick,
        seed,
        orders: 5_000,
        skus: 200,
        saleMs: 600_000,
        shipDelayMaxMs: 300_000,
        drainTimeoutMs: 20 * 60_000,
        baselinePeriodMs: 15 * 60_000,
      };
}

export function planFor(params: ScenarioParams): SalePlan {
  return makePlan({ seed: params.seed, skus: params.skus, orders: params.orders, durationMs: params.saleMs });
}

export interface Services {
  temporalAddress: string;
  databaseAdminUrl: string;
}

/** Actions billed by Temporal, counted from the histories of every workflow on the task queue. */
export async function countTemporalActions(
  address: string,
  taskQueue: string,
): Promise<{
  actions: number;
  workflows: number;
  byType: Record<string, { runs: number; actions: number; events: number; kinds: Record<string, number> }>;
}> {
  const E = temporal.api.enums.v1.EventType;
  const billed = new Set<number>([
    E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    E.EVENT_TYPE_TIMER_STARTED,
    E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
    E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    E.EVENT_TYPE_MARKER_RECORDED,
    E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
    E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  ]);
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const runs: { workflowId: string; runId: string; type: string }[] = [];
    for await (const wf of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
      runs.push({ workflowId: wf.workflowId, runId: wf.runId, type: wf.type });
    }
    const byType: Record<string, { runs: number; actions: number; events: number; kinds: Record<string, number> }> = {};
    let actions = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < runs.length) {
          const r = runs[next++]!;
          const history = await client.workflow.getHandle(r.workflowId, r.runId).fetchHistory();
          const t = (byType[r.type] ??= { runs: 0, actions: 0, events: 0, kinds: {} });
          t.runs += 1;
          t.events += history.events?.length ?? 0;
          for (const e of history.events ?? []) {
            const type: number = Number(e.eventType);
            const kind = (E[type] ?? String(type)).replace('EVENT_TYPE_', '');
            t.kinds[kind] = (t.kinds[kind] ?? 0) + 1;
            let n = billed.has(type) ? 1 : 0;
            // Activity retries are billed too.
            if (type === Number(E.EVENT_TYPE_ACTIVITY_TASK_STARTED))
              n += Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
            actions += n;
            t.actions += n;
          }
        }
      }),
    );
    return { actions, workflows: runs.length, byType };
  } finally {
    await connection.close();
  }
}

/** Times every webhook delivery the (in-process) emulator makes to `prefix` (the receiver's answer time). */
export function timeWebhooks(prefix: string): { latencies: number[]; restore(): void } {
  const original = globalThis.fetch;
  const latencies: number[] = [];
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(prefix)) return original(input, init);
    const t0 = performance.now();
    const res = await original(input, init);
    latencies.push(performance.now() - t0);
    return res;
  };
  return { latencies, restore: () => void (globalThis.fetch = original) };
}

export async function runOurs(params: ScenarioParams, services: Services, log: (m: string) => void): Promise<Figures> {
  const plan = planFor(params);
  const say = (m: string) => log(`[ours] ${m}`);
  const cleanups: (() => Promise<void> | void)[] = [];
  const notes: string[] = [];
  try {
    const dbName = `bench_flash_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const databaseUrl = await ensureDatabase(services.databaseAdminUrl, dbName);
    const db = createDb(databaseUrl, 3);
    cleanups.push(() => db.destroy());
    const wms = await startWms();
    cleanups.push(() => wms.close());
    const apiPort = await freePort();
    const world = await startWorld(plan, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      redirectUrl: `http://127.0.0.1:${apiPort}/oauth/tiktok/callback`,
    });
    cleanups.push(() => world.emulator.close());
    const taskQueue = `flash-sale-${Date.now().toString(36)}`;
    const stack = await startProduct({
      databaseUrl,
      temporalAddress: services.temporalAddress,
      emulatorUrl: world.emulator.url,
      apiPort,
      wmsUrl: wms.url,
      taskQueue,
      // The reconciliation Schedule is the backstop for dropped webhooks; its cadence scaled to the quick sale.
      extraEnv: { ORDER_RECONCILE_INTERVAL: params.quick ? '10s' : '1m' },
      log: say,
    });
    cleanups.push(() => stack.stop());
    const rss = rssSampler(stack.worker.pid!);
    cleanups.push(() => rss.stop());
    await connectShop(stack, world);
    await importCatalog(stack, world, plan);
    // The shop's reconciliation Schedule exists (created here when the connection did not create it) and runs once.
    const reconcile = await stack.call('POST', `/v1/shops/${world.shopId}/reconciliation/trigger`);
    if (reconcile.status !== 202)
      throw new Error(`reconciliation trigger: ${reconcile.status} ${JSON.stringify(reconcile.json)}`);
    say(`stack up, shop ${world.shopId} connected, ${plan.skus.length} SKUs imported`);

    const warehouse = new Warehouse(
      plan,
      params.shipDelayMaxMs,
      {
        shipped: async (orderId, trackingNumber) => {
          const r = await stack.call('POST', `/v1/orders/${world.shopId}/${orderId}/shipments`, {
            packages: [{ trackingNumber, carrier: 'UPS' }],
          });
          if (r.status !== 200) throw new Error(`shipment ${orderId}: ${r.status} ${JSON.stringify(r.json)}`);
        },
        stockChanged: async (sellerSku, onHand, sequence, at) => {
          const r = await stack.call('POST', '/v1/inventory/events', [
            {
              shopId: world.shopId,
              sellerSku,
              warehouseId: world.warehouseId,
              onHand,
              sequence,
              occurredAt: at.toISOString(),
            },
          ]);
          if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.json)}`);
        },
      },
      say,
    );
    cleanups.push(() => warehouse.stop());
    wms.onOrder(({ order }) => {
      if (order.cancelled) return;
      warehouse.receive(
        order.orderId,
        order.lineItems.map((li) => li.sellerSku ?? ''),
      );
    });

    // Initial counts: every SKU's feed pushes stock − buffer (what TikTok already shows) and confirms it.
    await warehouse.sendInitialCounts();
    const settleBy = Date.now() + 90_000;
    for (;;) {
      const row = await db('inventory_push_log')
        .where({ shop_id: world.shopId })
        .whereNotNull('confirmed_at')
        .countDistinct<{ n: string }[]>({ n: 'seller_sku' });
      if (Number(row[0]!.n) >= plan.skus.length) break;
      if (Date.now() > settleBy) {
        notes.push(`initial pushes confirmed for ${row[0]!.n}/${plan.skus.length} SKUs only`);
        break;
      }
      await sleep(500);
    }
    await applyFaults(world);
    const hooks = timeWebhooks(`${stack.apiUrl}/webhooks/tiktok`);
    cleanups.push(() => hooks.restore());
    const observer = new TikTokObserver(world);
    cleanups.push(() => observer.stop());

    say(`sale: ${plan.orders.length} orders over ${params.saleMs / 1000} s across ${plan.skus.length} SKUs`);
    const sale = await runSale(world, plan, warehouse, observer, say);
    say(
      `sale over: ${sale.placed.length} placed, ${sale.refused} refused (sold out), other channel sold ${sale.otherChannelSold}`,
    );

    // Drain: every order that reached AWAITING_SHIPMENT handed off, shipped by the warehouse and marked shipped.
    const drainBy = sale.endedAt + params.drainTimeoutMs;
    let drainedAt: number | undefined;
    const ours = new Set(sale.placed.map((o) => o.orderId));
    for (;;) {
      const handed = new Set(
        (await db('warehouse_outbox').where({ shop_id: world.shopId }).select<{ order_id: string }[]>('order_id')).map(
          (r) => r.order_id,
        ),
      );
      const open = [...world.emulator.state.orders.values()].filter(
        (o) =>
          ours.has(o.id) &&
          o.status !== 'CANCELLED' &&
          o.transitions.some((t) => t.status === 'AWAITING_SHIPMENT') &&
          (!handed.has(o.id) || !o.transitions.some((t) => t.status === 'AWAITING_COLLECTION')),
      );
      if (open.length === 0 && warehouse.pending === 0) {
        drainedAt = Date.now();
        break;
      }
      if (Date.now() > drainBy) {
        notes.push(`not drained ${params.drainTimeoutMs / 1000} s after the sale: ${open.length} orders open`);
        break;
      }
      await sleep(500);
    }
    // Give late inventory pushes a moment (the observer and the record see them).
    await sleep(2_000);
    hooks.restore();
    observer.stop();

    const record = (await world.admin('/record')) as EmulatorRecord;
    const outbox = await db('warehouse_outbox')
      .where({ shop_id: world.shopId })
      .select<{ order_id: string; created_at: Date }[]>('order_id', 'created_at');
    const handoffAt = new Map(outbox.map((r) => [r.order_id, new Date(r.created_at).getTime()]));
    const orders = orderFigures(record, sale.placed, handoffAt, warehouse);
    const pushes = await db('inventory_push_log').where({ shop_id: world.shopId, action: 'quantity' }).select<
      {
        tiktok_sku_id: string;
        quantity: number;
        version: string;
        requested_at: Date;
        confirmed_at: Date | null;
        stock_event_at: Date | null;
      }[]
    >('tiktok_sku_id', 'quantity', 'version', 'requested_at', 'confirmed_at', 'stock_event_at');
    const versionOf = (skuId: string, quantity: number, appliedAt: number): number | undefined => {
      let best: { at: number; version: number } | undefined;
      for (const r of pushes) {
        if (r.tiktok_sku_id !== skuId || r.quantity !== quantity) continue;
        const at = new Date(r.requested_at).getTime();
        if (at > appliedAt + 50) continue;
        if (!best || at > best.at) best = { at, version: Number(r.version) };
      }
      return best?.version;
    };
    const dups = duplicateMutations(record, world.inventorySets, versionOf);
    const delist = observer.latencies();
    const ownDelist = pushes
      .filter((r) => r.quantity === 0 && r.confirmed_at && r.stock_event_at)
      .map((r) => new Date(r.confirmed_at!).getTime() - new Date(r.stock_event_at!).getTime())
      .sort((a, b) => a - b);
    if (ownDelist.length > 0)
      notes.push(
        `push log (confirmed 0 − stock event, ${ownDelist.length} rows): p50 ${(p(ownDelist, 50) / 1000).toFixed(1)} s, p99 ${(p(ownDelist, 99) / 1000).toFixed(1)} s`,
      );
    if (warehouse.reportFailures.length > 0)
      notes.push(`shipments refused for good: ${warehouse.reportFailures.slice(0, 3).join('; ')}`);
    if (warehouse.stockEventErrors > 0) notes.push(`${warehouse.stockEventErrors} stock events answered with an error`);
    const inbox = await db('webhook_inbox').where({ shop_id: world.shopId }).count<{ n: string }[]>({ n: '*' });
    notes.push(`webhook inbox rows: ${inbox[0]!.n}; record: ${dups.lostResponses} responses lost`);

    const { actions, workflows, byType } = await countTemporalActions(services.temporalAddress, taskQueue);
    // Where the server's work goes: history events (each one a persistence write) and billed actions per order.
    const per = (n: number) => (n / Math.max(1, sale.placed.length)).toFixed(1);
    notes.push(
      `per order by workflow type: ${Object.entries(byType)
        .map(([type, t]) => `${type} ${per(t.actions)} actions / ${per(t.events)} events (${t.runs} runs)`)
        .join('; ')}`,
    );
    const busiest = Object.entries(byType).sort((a, b) => b[1].events - a[1].events)[0];
    if (busiest)
      notes.push(
        `${busiest[0]} history events per order: ${Object.entries(busiest[1].kinds)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ${per(n)}`)
          .join(', ')}`,
      );
    return {
      system: 'ours',
      ordersPlaced: sale.placed.length,
      ordersRefused: sale.refused,
      otherChannelSold: sale.otherChannelSold,
      handedOff: orders.handoff.length,
      lost: orders.lost.length,
      duplicateMutations: dups.total,
      duplicatesByAction: dups.byAction,
      lostResponses: dups.lostResponses,
      unitsOversold: unitsOversold(plan, sale.placed, record, warehouse.otherSold),
      webhookP50Ms: p(
        hooks.latencies.sort((a, b) => a - b),
        50,
      ),
      webhookP99Ms: p(hooks.latencies, 99),
      handoffP50Ms: p(orders.handoff, 50),
      handoffP99Ms: p(orders.handoff, 99),
      shippedToMarkedP99Ms: p(orders.shippedToMarked, 99),
      markedShipped: orders.markedShipped,
      delistP50Ms: p(delist.latencies, 50),
      delistP99Ms: p(delist.latencies, 99),
      delistSamples: delist.latencies.length,
      delistMissed: delist.missed,
      temporalActionsPerOrder: actions / Math.max(1, sale.placed.length),
      workerPeakRssMb: rss.peakMb(),
      drainSeconds: drainedAt === undefined ? NaN : (drainedAt - sale.endedAt) / 1000,
      notes: [
        ...notes,
        `lost orders: ${orders.lost.slice(0, 5).join(', ')}${orders.lost.length > 5 ? '…' : ''}`,
        `${workflows} workflow runs; delist watches already out on TikTok: ${delist.alreadyOut}`,
      ],
    };
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}
