/**
 * The flash sale against OUR system: API + worker (child processes) on Temporal and PostgreSQL, the shop connected
 * through OAuth, the catalog imported, the warehouse simulator behind WMS_URL reporting shipments through
 * `POST /v1/orders/:shopId/:orderId/shipments` and counts through `POST /v1/inventory/events`.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { createDb } from '../db/knex';
import { ensureDatabase } from '../db/ensureDatabase';
import { freePort } from '../db/embeddedPostgres';
import {
  applyFaults,
  describeStaleSet,
  duplicateMutations,
  makePlan,
  orderFigures,
  ordersStillOpen,
  p,
  realAtOf,
  runSale,
  saleFigures,
  sleep,
  startWorld,
  TikTokObserver,
  Warehouse,
  type EmulatorRecord,
  type Figures,
  type SalePlan,
} from './flashSaleWorld';
import { orderWorkflowId } from '../workflows/ids';
import { startChaos } from './chaos';
import { oversellAccount } from './oversellAccount';
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
  /** `--chaos`: SIGKILL a worker and start an identical one this often while orders are placed. */
  chaosEveryMs?: number;
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
  /** Per order workflow id: when the hand-off's workflow task and activity moved (see handOffTimes). */
  handOffs: Map<string, HandOffTimes>;
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
    const handOffs = new Map<string, HandOffTimes>();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < runs.length) {
          const r = runs[next++]!;
          const history = await client.workflow.getHandle(r.workflowId, r.runId).fetchHistory();
          const t = (byType[r.type] ??= { runs: 0, actions: 0, events: 0, kinds: {} });
          t.runs += 1;
          t.events += history.events?.length ?? 0;
          const times = r.type === 'orderAcknowledgment' ? handOffTimes(history.events ?? []) : undefined;
          if (times) handOffs.set(r.workflowId, times);
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
    return { actions, workflows: runs.length, byType, handOffs };
  } finally {
    await connection.close();
  }
}

/** Server times (ms) of the steps between the status signal and the end of the hand-off activity. */
export interface HandOffTimes {
  signalAt: number;
  taskStartedAt: number;
  scheduledAt: number;
  startedAt: number;
  completedAt: number;
}

const HAND_OFF_ACTIVITIES = new Set(['readAndHandOff', 'handOffToWarehouse']);

/** The activity type of a local-activity marker (core's own JSON, not run through the payload codec). */
function localActivityType(e: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const m = e.markerRecordedEventAttributes;
  if (m?.markerName !== 'core_local_activity') return undefined;
  const data = m.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type;
  } catch {
    return undefined;
  }
}

/**
 * The first hand-off of an order history and the signal and workflow task that led to it. A hand-off run as a local
 * activity has no task of its own: it is scheduled and started when its workflow task starts, and done when that task
 * completes (the marker follows the completion).
 */
export function handOffTimes(events: temporal.api.history.v1.IHistoryEvent[]): HandOffTimes | undefined {
  const at = (e: temporal.api.history.v1.IHistoryEvent | undefined) => (e ? tsToMs(e.eventTime) : 0);
  const i = events.findIndex(
    (e) =>
      HAND_OFF_ACTIVITIES.has(e.activityTaskScheduledEventAttributes?.activityType?.name ?? '') ||
      HAND_OFF_ACTIVITIES.has(localActivityType(e) ?? ''),
  );
  if (i < 0) return undefined;
  if (events[i]!.markerRecordedEventAttributes) {
    const before = events.slice(0, i).reverse();
    const completedTask = before.find((e) => e.workflowTaskCompletedEventAttributes);
    const taskStarted = before.find((e) => e.workflowTaskStartedEventAttributes);
    const signal = before.find(
      (e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionStartedEventAttributes,
    );
    const startedAt = at(taskStarted);
    return {
      signalAt: at(signal),
      taskStartedAt: startedAt,
      scheduledAt: startedAt,
      startedAt,
      completedAt: at(completedTask),
    };
  }
  const id = Number(events[i]!.eventId);
  const before = events.slice(0, i).reverse();
  const signal = before.find(
    (e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionStartedEventAttributes,
  );
  const taskStarted = before.find((e) => e.workflowTaskStartedEventAttributes);
  const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
  const completed = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
  if (!completed) return undefined;
  return {
    signalAt: at(signal),
    taskStartedAt: at(taskStarted),
    scheduledAt: at(events[i]),
    startedAt: at(started),
    completedAt: at(completed),
  };
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
    // Peak RSS of the largest worker process (the target is per process).
    const samplers = stack.workers.map((w) => rssSampler(w.pid!));
    const rss = { peakMb: () => Math.max(...samplers.map((r) => r.peakMb())) };
    cleanups.push(() => samplers.forEach((r) => r.stop()));
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
    // The warehouse model honours reservations (integrations/wms.ts): a hold at the order's first read, released if the
    // order is cancelled before its hand-off.
    const reservations = { hold: 0, release: 0, heldBeforeHandOff: 0 };
    wms.onReservation((r) => {
      reservations[r.action] += 1;
      if (r.action === 'hold' && !warehouse.received.has(r.orderId)) reservations.heldBeforeHandOff += 1;
      if (r.action === 'hold')
        warehouse.reserve(
          r.orderId,
          r.lineItems.map((li) => li.sellerSku),
        );
      else warehouse.release(r.orderId);
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
    const chaos =
      params.chaosEveryMs === undefined
        ? undefined
        : startChaos({
            everyMs: params.chaosEveryMs,
            workers: () => stack.workers.length,
            killAndReplace: async (index) => {
              const killedPid = stack.workers[index]!.pid!;
              const fresh = await stack.killAndReplaceWorker(index);
              samplers.push(rssSampler(fresh.pid!));
              return { killedPid, replacementPid: fresh.pid! };
            },
            log: say,
          });
    cleanups.push(async () => void (await chaos?.stop()));
    const sale = await runSale(world, plan, warehouse, observer, say);
    const kills = await chaos?.stop();
    if (kills)
      notes.push(
        `chaos: ${kills.length} workers SIGKILLed and replaced during the sale, at ${kills.map((k) => `${(k.atMs / 1000).toFixed(0)} s`).join(', ')} (replacement polling after p50 ${(
          p(
            kills.map((k) => k.restartMs).sort((a, b) => a - b),
            50,
          ) / 1000
        ).toFixed(1)} s)`,
      );
    say(
      `sale over: ${sale.offered} offered, ${sale.placed.length} placed, ${sale.refused} refused (sold out), ${sale.placementErrors} placement errors, other channel sold ${sale.otherChannelSold}`,
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
      const open = ordersStillOpen(world, ours, handed);
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
        seller_sku: string;
      }[]
    >('tiktok_sku_id', 'quantity', 'version', 'requested_at', 'confirmed_at', 'stock_event_at', 'seller_sku');
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
    notes.push(
      `warehouse reservations received: ${reservations.hold} holds (${reservations.heldBeforeHandOff} before the order's hand-off), ${reservations.release} releases`,
    );
    const cancelled = new Set(record.orders.filter((o) => o.status === 'CANCELLED').map((o) => o.order_id));
    notes.push(
      ...oversellAccount({
        skus: plan.skus,
        tiktokSales: sale.placed.filter((o) => !cancelled.has(o.orderId)),
        warehouse: warehouse.journal,
        pushes: pushes.map((r) => ({
          sellerSku: r.seller_sku,
          quantity: r.quantity,
          requestedAt: new Date(r.requested_at).getTime(),
          ...(r.stock_event_at ? { stockEventAt: new Date(r.stock_event_at).getTime() } : {}),
        })),
        startedAt: sale.startedAt,
      }),
    );
    if (warehouse.stockEventErrors > 0) notes.push(`${warehouse.stockEventErrors} stock events answered with an error`);
    const inbox = await db('webhook_inbox').where({ shop_id: world.shopId }).count<{ n: string }[]>({ n: '*' });
    notes.push(`webhook inbox rows: ${inbox[0]!.n}; record: ${dups.lostResponses} responses lost`);
    // A stale set is inferred from the push log (versionOf); print what it was inferred from, to tell a real
    // reordering (an attempt that outlived its timeout) from a mismatch of the inference.
    for (const stale of dups.staleSets) {
      const appliedAt = Date.parse(stale.appliedAt);
      const near = pushes
        .filter(
          (r) => r.tiktok_sku_id === stale.skuId && Math.abs(new Date(r.requested_at).getTime() - appliedAt) < 60_000,
        )
        .map((r) => `v${r.version} q${r.quantity} req ${new Date(r.requested_at).toISOString().slice(11, 23)}`);
      notes.push(`${describeStaleSet(stale)}; push log ±60 s: ${near.join(', ')}`);
    }

    const { actions, workflows, byType, handOffs } = await countTemporalActions(services.temporalAddress, taskQueue);
    notes.push(await handOffStages(db, world.shopId, record, handOffs, handoffAt));
    // Where the server's work goes: history events (each one a persistence write) and billed actions per order.
    const per = (n: number) => (n / Math.max(1, sale.placed.length)).toFixed(1);
    notes.push(
      `per order by workflow type: ${Object.entries(byType)
        .map(([type, t]) => `${type} ${per(t.actions)} actions / ${per(t.events)} events (${t.runs} runs)`)
        .join('; ')}`,
    );
    // The two busiest workflow types, event by event.
    for (const [type, t] of Object.entries(byType)
      .sort((a, b) => b[1].events - a[1].events)
      .slice(0, 2))
      notes.push(
        `${type} history events per order: ${Object.entries(t.kinds)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ${per(n)}`)
          .join(', ')}`,
      );
    return {
      ...saleFigures({
        system: 'ours',
        plan,
        sale,
        record,
        warehouse,
        orders,
        dups,
        delist,
        workerPeakRssMb: rss.peakMb(),
        drainedAt,
      }),
      ...(kills ? { workerKills: kills.length } : {}),
      webhookP50Ms: p(
        hooks.latencies.sort((a, b) => a - b),
        50,
      ),
      webhookP99Ms: p(hooks.latencies, 99),
      temporalActionsPerOrder: actions / Math.max(1, sale.placed.length),
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

/**
 * Where an order's hand-off time goes, stage by stage (p50 / p99 over the orders handed off after a status webhook):
 * TikTok's status change → our inbox (webhook delivery), inbox → signal (relay), signal → workflow task started,
 * task started → activity scheduled, activity scheduled → started (task queue), activity run (TikTok read, outbox
 * row, WMS, external reference). Server event times and our table times share this machine's clock.
 */
async function handOffStages(
  db: ReturnType<typeof createDb>,
  shopId: string,
  record: EmulatorRecord,
  handOffs: Map<string, HandOffTimes>,
  handoffAt: Map<string, number>,
): Promise<string> {
  const inbox = await db('webhook_inbox')
    .where({ shop_id: shopId })
    .whereRaw(`event->'data'->>'order_status' = 'AWAITING_SHIPMENT'`)
    .select<{ order_id: string; received_at: Date; routed_at: Date | null }[]>(
      db.raw(`event->'data'->>'order_id' AS order_id`),
      'received_at',
      'routed_at',
    );
  const received = new Map<string, number>();
  for (const r of inbox) {
    const t = new Date(r.received_at).getTime();
    if (!received.has(r.order_id) || t < received.get(r.order_id)!) received.set(r.order_id, t);
  }
  const stages: Record<string, number[]> = {
    'webhook delivery': [],
    'relay → signal': [],
    'signal → task': [],
    'task → scheduled': [],
    'queue → started': [],
    'activity run': [],
  };
  // The whole hand-off by path: after the status webhook, or without it (lost, or slower than the read-back 2 s
  // after the remorse window; reconciliation).
  const byPath: Record<string, number[]> = { 'after its webhook': [], 'read back without it': [] };
  for (const o of record.orders) {
    const awaiting = realAtOf(o, 'AWAITING_SHIPMENT');
    const at = handoffAt.get(o.order_id);
    if (awaiting === undefined || at === undefined) continue;
    const t = handOffs.get(orderWorkflowId(shopId, o.order_id));
    const inboxAt = received.get(o.order_id);
    const afterWebhook = t !== undefined && inboxAt !== undefined && t.signalAt >= inboxAt;
    byPath[afterWebhook ? 'after its webhook' : 'read back without it']!.push(at - awaiting);
  }
  for (const o of record.orders) {
    const awaiting = realAtOf(o, 'AWAITING_SHIPMENT');
    const t = handOffs.get(orderWorkflowId(shopId, o.order_id));
    const inboxAt = received.get(o.order_id);
    if (awaiting === undefined || !t || inboxAt === undefined || !handoffAt.has(o.order_id)) continue;
    if (t.signalAt < inboxAt) continue; // handed off before the webhook (reconciliation or a read-back)
    stages['webhook delivery']!.push(inboxAt - awaiting);
    stages['relay → signal']!.push(t.signalAt - inboxAt);
    stages['signal → task']!.push(t.taskStartedAt - t.signalAt);
    stages['task → scheduled']!.push(t.scheduledAt - t.taskStartedAt);
    stages['queue → started']!.push(t.startedAt - t.scheduledAt);
    stages['activity run']!.push(t.completedAt - t.startedAt);
  }
  const fmt = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return `${(p(xs, 50) / 1000).toFixed(2)}/${(p(xs, 99) / 1000).toFixed(2)}`;
  };
  const n = stages['webhook delivery']!.length;
  const paths = Object.entries(byPath)
    .map(([k, xs]) => `${k} ${fmt(xs)} (${xs.length})`)
    .join(', ');
  return `hand-off p50/p99 s by path: ${paths}. Stages p50/p99 s over ${n} orders handed off after their webhook: ${Object.entries(
    stages,
  )
    .map(([k, xs]) => `${k} ${fmt(xs)}`)
    .join('; ')}`;
}
