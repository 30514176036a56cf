/**
 * Refreshes the replay fixtures in test/fixtures/histories from real runs on a throwaway dev server.
 * Run deliberately (`npm run capture-histories [-- <part of a fixture name>…]`) when a workflow changes on purpose.
 * Before the first release the fixtures are simply replaced; after it, the previous ones are kept and the change is
 * patched (README.md, "Changing a workflow after a release"), so the replay test proves both paths replay.
 * Histories are captured without the encryption codec: fixtures hold only synthetic data and no key is committed.
 * Scenarios that talk to TikTok run against the in-process emulator (synthetic shop, products and orders) with a
 * shop connected through its OAuth steps; every emulator webhook is dropped, the scenarios signal like the relay.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import pino from 'pino';
import { startTikTokShopEmulator, type RunningEmulator } from '../emulators/tiktok-shop/server';
import { getAuthorizedShops } from '../integrations/tiktok/authorization';
import { loadConfig, REPO_ROOT } from '../config';
import { buildDependencies } from '../workers/dependencies';
import { temporalCliPath } from '../config/tools';
import { dropDatabase, ensureDatabase } from '../db/ensureDatabase';
import { createDb, migrate, type Db } from '../db/knex';
import { freePort, startEmbeddedPostgres } from '../db/embeddedPostgres';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/shared/searchAttributes';
import { signalStockChanged } from '../temporal/inventoryFeed';
import { parseCommandLine } from './commandLine';
import { signalOrderWorkflow } from '../temporal/orderStart';
import { signalReturnWorkflow } from '../temporal/returnStart';
import { WORKFLOWS_PATH } from '../workers/createWorker';
import {
  accountHealthWorkflowId,
  inventoryFeedWorkflowId,
  orderWorkflowId,
  returnWorkflowId,
  shopWorkflowId,
  suspensionAppealWorkflowId,
  taxReportWorkflowId,
} from '../workflows/ids';
import { getInventoryFeedQuery, unitsCommittedSignal } from '../workflows/inventoryFeed/messages';
import { inventoryFeed } from '../workflows/inventoryFeed/workflow';
import { getOrderQuery, orderStatusChangedSignal, shippedUpdate } from '../workflows/orderAcknowledgment/messages';
import { orderReconciliation } from '../workflows/orderReconciliation/workflow';
import { returnReconciliation } from '../workflows/returnReconciliation/workflow';
import { decideReturnUpdate, getReturnQuery } from '../workflows/returnRequest/messages';
import {
  accountHealthDirtySignal,
  accountHealthSnapshotSignal,
  getAccountHealthQuery,
  recordViolationUpdate,
} from '../workflows/accountHealth/messages';
import { accountHealth } from '../workflows/accountHealth/workflow';
import { createShopRepository } from '../db/shops';
import { createSuspensionAppealRepository } from '../db/suspensionAppeals';
import { createCertificateRepository } from '../db/certificates';
import { createFileStore } from '../files/fileStore';
import { renderPdf } from '../pdf/render';
import type { Keyring } from '../secrets/keyring';
import { categoryUngatingWorkflowId } from '../workflows/ids';
import {
  getCategoryUngatingQuery,
  productAuditSignal,
  provideDocumentsUpdate,
  recordDecisionUpdate,
  recordSubmissionUpdate,
} from '../workflows/categoryUngating/messages';
import { categoryUngating } from '../workflows/categoryUngating/workflow';
import { suspensionAppeal } from '../workflows/suspensionAppeal/workflow';
import { monthlyTaxReport } from '../workflows/monthlyTaxReport/workflow';
import { approveTaxReportUpdate, getTaxReportQuery } from '../workflows/monthlyTaxReport/messages';
import {
  getSuspensionAppealQuery,
  recordAppealDecisionUpdate,
  recordAppealSubmissionUpdate,
  reviewAppealPlanUpdate,
  type PlanOfAction,
} from '../workflows/suspensionAppeal/messages';
import {
  authorizationChangedSignal,
  getShopQuery,
  registerShopSignal,
  type AuthorizationChange,
} from '../workflows/shopLifecycle/messages';
import { shopLifecycle } from '../workflows/shopLifecycle/workflow';

const OUT_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'histories');
const TASK_QUEUE = 'capture';
const APP_KEY = 'capture_app_key';
const APP_SECRET = 'capture_app_secret_0123456789abcdef';

/** The emulator's synthetic shop, connected: one warehouse, one product with two SKUs, both in our catalog. */
interface TikTokWorld {
  emulator: RunningEmulator;
  shopId: string;
  warehouseId: string;
  productId: string;
  skuIds: Record<string, string>;
  admin: (path: string, body?: unknown) => Promise<any>;
}

interface Ctx {
  client: Client;
  db: Db;
  tiktok: TikTokWorld;
  /** SECRETS_ENCRYPTION_KEY of the capture's configuration (the file store seals the vault's files with it). */
  keyring: Keyring;
}

type Scenario = (ctx: Ctx) => Promise<WorkflowHandle>;

async function until(fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('scenario did not reach its state');
}

/** A paid order of one unit of `sku`, held ON_HOLD through the remorse hour, then handed off (acknowledged). */
/** The carrier scans the parcel: the order reads IN_TRANSIT back and its workflow ends as dispatched. */
async function carrierScanned(
  order: Pick<Awaited<ReturnType<typeof acknowledgedOrder>>, 'orderId' | 'admin' | 'status' | 'handle'>,
): Promise<void> {
  await order.admin(`/orders/${order.orderId}/carrier-scan`, {});
  await order.status('IN_TRANSIT');
  const result = await order.handle.result();
  if (result.outcome !== 'dispatched') throw new Error(`order ended ${JSON.stringify(result)}`);
}

async function acknowledgedOrder(client: Client, tiktok: TikTokWorld, sku: string) {
  const { shopId, admin } = tiktok;
  const placed = await admin('/orders', { shop_id: shopId, items: [{ sku_id: tiktok.skuIds[sku] }], paid: true });
  const orderId = placed.id as string;
  const deps = { temporal: client, taskQueue: TASK_QUEUE };
  const status = (s: string) =>
    signalOrderWorkflow(deps, shopId, orderId, orderStatusChangedSignal, { status: s, updateTime: 0 });
  const handle = await status('ON_HOLD');
  await until(async () => (await handle.query(getOrderQuery)).state === 'ON_HOLD');
  await admin('/clock/advance', { seconds: 3601 });
  await status('AWAITING_SHIPMENT');
  await until(async () => (await handle.query(getOrderQuery)).acknowledged);
  return { shopId, orderId, admin, status, handle };
}

const scenarios: Record<string, Scenario> = {
  'shopLifecycle-register-and-rename': async ({ client }) => {
    const registration = { shopId: '7495000000000001', region: 'US', displayName: 'Fixture Shop' };
    const handle = await client.workflow.start(shopLifecycle, {
      workflowId: 'shop:7495000000000001',
      taskQueue: TASK_QUEUE,
      args: [{ registration }],
    });
    await handle.signal(registerShopSignal, { ...registration, displayName: 'Fixture Shop Renamed' });
    await until(async () => (await handle.query(getShopQuery)).displayName === 'Fixture Shop Renamed');
    return handle;
  },
  'shopLifecycle-continue-as-new': async ({ client }) => {
    const registration = { shopId: '7495000000000002', region: 'US', displayName: 'v0' };
    const handle = await client.workflow.start(shopLifecycle, {
      workflowId: 'shop:7495000000000002',
      taskQueue: TASK_QUEUE,
      args: [{ registration, maxHistoryEvents: 12 }],
    });
    for (let i = 1; i <= 3; i++) {
      await handle.signal(registerShopSignal, { ...registration, displayName: `v${i}` });
      await until(async () => (await handle.query(getShopQuery)).displayName === `v${i}`);
    }
    // The first run, which ended in continue-as-new.
    return client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
  },
  // A shop's account health: the first refresh at start, a dirty signal (one refresh, at least the interval after the
  // first), a Seller Center notice entered (recordViolation update, then a refresh), the daily Schedule's snapshot
  // signal (a refresh that saves the day's snapshot). Its results are summaries, never order rows.
  'accountHealth-refresh-violation-snapshot': async ({ client, db }) => {
    const shopId = '7495000000000017';
    await createShopRepository(db).record({
      shopId,
      region: 'US',
      displayName: 'Fixture Health',
      workflowId: shopWorkflowId(shopId),
    });
    const handle = await client.workflow.start(accountHealth, {
      workflowId: accountHealthWorkflowId(shopId),
      taskQueue: TASK_QUEUE,
      args: [{ shopId, minRefreshIntervalMs: 500 }],
    });
    const refreshed = (n: number) => until(async () => (await handle.query(getAccountHealthQuery)).refreshes >= n);
    await refreshed(1);
    await handle.signal(accountHealthDirtySignal);
    await refreshed(2);
    await handle.executeUpdate(recordViolationUpdate, {
      args: [
        {
          decidedBy: 'capture',
          noticeId: 'SC-FIXTURE-1',
          policy: 'late_dispatch',
          points: 30,
          occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
        },
      ],
    });
    await refreshed(3);
    await handle.signal(accountHealthSnapshotSignal, { scheduledAt: new Date().toISOString() });
    await until(async () => (await handle.query(getAccountHealthQuery)).summary?.snapshotDay !== undefined);
    // Idle again: every activity completed and the last workflow task done (its timer until the violation expires).
    await until(async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const last = events.at(-1);
      return (
        events.filter((e) => e.activityTaskCompletedEventAttributes).length === 5 &&
        !last?.workflowTaskScheduledEventAttributes &&
        !last?.workflowTaskStartedEventAttributes
      );
    });
    return handle;
  },
  // A product's feed: stock event → quantities pushed and confirmed by read-back → units committed by an order →
  // pushed again with the hold subtracted → a sale on TikTok that leaves units on sale (TikTok already counted it: no
  // push). The feed keeps running: its history so far is the fixture.
  'inventoryFeed-push-and-hold': async ({ client, db, tiktok }) => {
    const { shopId, productId, warehouseId } = tiktok;
    const handle = await client.workflow.start(inventoryFeed, {
      workflowId: inventoryFeedWorkflowId(shopId, productId),
      taskQueue: TASK_QUEUE,
      args: [{ shopId, productId, coalesceMs: 200 }],
    });
    await db('stock_levels').insert({
      shop_id: shopId,
      seller_sku: 'FIX-30',
      warehouse_id: warehouseId,
      on_hand: 12,
      sequence: 1,
      occurred_at: new Date(),
    });
    const deps = { temporal: client, cfg: { TEMPORAL_TASK_QUEUE: TASK_QUEUE } };
    await signalStockChanged(deps, shopId, productId, { sellerSkus: ['FIX-30'], at: new Date().toISOString() });
    const pushed = (total: number) => async () => {
      const s = (await handle.query(getInventoryFeedQuery)).skus['FIX-30'];
      return s?.pushed?.confirmed === true && s.pushed.inventory.reduce((a, w) => a + w.quantity, 0) === total;
    };
    await until(pushed(10)); // 12 on hand − buffer 2
    await handle.signal(unitsCommittedSignal, { sellerSku: 'FIX-30', delta: 2, ref: 'fixture-order:FIX-30:handoff' });
    await until(pushed(8));
    const sale = { sellerSku: 'FIX-30', delta: 1, ref: 'fixture-sale:FIX-30:first-read', platformSale: true };
    await handle.signal(unitsCommittedSignal, sale);
    await until(async () => (await handle.query(getInventoryFeedQuery)).skus['FIX-30']?.committed === 3);
    return handle;
  },
  // One order from payment to carrier scan: ON_HOLD, hand-off (outbox, units held on the feed), shipped through the
  // update (hold released), IN_TRANSIT read back after the status signal, dispatch recorded on time.
  'orderAcknowledgment-ship-and-dispatch': async ({ client, tiktok }) => {
    const { shopId, orderId, admin, status, handle } = await acknowledgedOrder(client, tiktok, 'FIX-50');
    await handle.executeUpdate(shippedUpdate, {
      args: [{ packages: [{ trackingNumber: '1Z999AA10123456784', carrier: 'UPS' }] }],
    });
    await carrierScanned({ orderId, admin, status, handle });
    return client.workflow.getHandle(orderWorkflowId(shopId, orderId));
  },
  // A run as the schedule starts it, after webhooks were lost: two orders never seen (started), one running order
  // (signalled) and the dispatched order of the scenario above (already closed).
  'orderReconciliation-start-signal-closed': async ({ client, tiktok }) => {
    const { shopId, admin } = tiktok;
    const running = await admin('/orders', {
      shop_id: shopId,
      items: [{ sku_id: tiktok.skuIds['FIX-50'] }],
      paid: true,
    });
    const deps = { temporal: client, taskQueue: TASK_QUEUE };
    const h = await signalOrderWorkflow(deps, shopId, running.id as string, orderStatusChangedSignal, {
      status: 'ON_HOLD',
      updateTime: 0,
    });
    await until(async () => (await h.query(getOrderQuery)).state === 'ON_HOLD');
    for (let i = 0; i < 2; i++)
      await admin('/orders', { shop_id: shopId, items: [{ sku_id: tiktok.skuIds['FIX-50'] }], paid: true });
    const handle = await client.workflow.start(orderReconciliation, {
      workflowId: `reconcile-orders:${shopId}-2026-01-01T00:00:00Z`,
      taskQueue: TASK_QUEUE,
      args: [{ shopId }],
    });
    const result = await handle.result();
    if (result.started !== 2 || result.signalled !== 1 || result.alreadyClosed !== 1)
      throw new Error(`unexpected reconciliation counts ${JSON.stringify(result)}`);
    return handle;
  },
  // The warehouse reports the same shipment twice at once (a retry racing the first call) and once more after it
  // was marked: the repeats join the first report (one Mark Package As Shipped), then the carrier scan. After the
  // reconciliation scenario, whose counts this closed order would change.
  'orderAcknowledgment-repeated-shipment': async ({ client, tiktok }) => {
    const { shopId, orderId, admin, status, handle } = await acknowledgedOrder(client, tiktok, 'FIX-30');
    const report = { packages: [{ trackingNumber: '1Z999AA10123456785', carrier: 'UPS' }] };
    const [first, again] = await Promise.all([
      handle.executeUpdate(shippedUpdate, { args: [report] }),
      handle.executeUpdate(shippedUpdate, { args: [report] }),
    ]);
    const later = await handle.executeUpdate(shippedUpdate, { args: [report] });
    if (JSON.stringify(again) !== JSON.stringify(first) || JSON.stringify(later) !== JSON.stringify(first))
      throw new Error(`repeated reports answered differently: ${JSON.stringify([first, again, later])}`);
    await carrierScanned({ orderId, admin, status, handle });
    const history = await handle.fetchHistory();
    const marks = history.events!.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'shipPackages',
    ).length;
    if (marks !== 1) throw new Error(`expected one shipPackages activity, found ${marks}`);
    return client.workflow.getHandle(orderWorkflowId(shopId, orderId));
  },
  // A return a person decides (the shop's default settings approve nothing by themselves): the request approved through
  // decideReturn, the buyer ships the item back, the receipt approved, the refund ends the case.
  'returnRequest-approve-and-receive': async ({ client, tiktok }) => {
    const { shopId, orderId, admin, status, handle } = await acknowledgedOrder(client, tiktok, 'FIX-50');
    const report = { packages: [{ trackingNumber: '1Z999AA10123456786', carrier: 'UPS' }] };
    await handle.executeUpdate(shippedUpdate, { args: [report] });
    await carrierScanned({ orderId, admin, status, handle });
    await admin(`/orders/${orderId}/deliver`, {});
    const opened = await admin(`/orders/${orderId}/returns`, { return_type: 'RETURN_AND_REFUND' });
    const returnId = opened.return_id as string;
    const deps = { temporal: client, taskQueue: TASK_QUEUE };
    const changed = (s: string) => signalReturnWorkflow(deps, shopId, returnId, { status: s, updateTime: 0 });
    const ret = await changed(opened.return_status as string);
    const asked = (action: string) =>
      until(async () => {
        const pending = (await ret.query(getReturnQuery)).pending;
        return pending?.action === action && pending.awaitingPerson;
      });
    const approve = { decidedBy: 'fixture', decision: 'approve' as const };
    await asked('SELLER_RESPOND_RETURN');
    await ret.executeUpdate(decideReturnUpdate, { args: [approve] });
    await admin(`/returns/${returnId}/buyer-ship`, {});
    await changed('BUYER_SHIPPED_ITEM');
    await asked('SELLER_RESPOND_RECEIVE_PACKAGE');
    await ret.executeUpdate(decideReturnUpdate, { args: [approve] });
    const outcome = await ret.result();
    if (outcome.status !== 'RETURN_OR_REFUND_REQUEST_SUCCESS') throw new Error(`return ended ${outcome.status}`);
    return client.workflow.getHandle(returnWorkflowId(shopId, returnId));
  },
  // A return reconciliation run as the schedule starts it: a return whose webhook was lost (started) and the return
  // of the scenario above, whose workflow has completed (left alone). The returns stay in the page activity.
  'returnReconciliation-start-and-closed': async ({ client, tiktok }) => {
    const { shopId, admin } = tiktok;
    const bulk = await admin('/returns/bulk', {
      shop_id: shopId,
      returns: [{ sku_id: tiktok.skuIds['FIX-50'], return_type: 'REFUND' }],
    });
    if (bulk.opened?.length !== 1) throw new Error(`return not opened: ${JSON.stringify(bulk)}`);
    const handle = await client.workflow.start(returnReconciliation, {
      workflowId: `reconcile-returns:${shopId}-2026-01-01T00:00:00Z`,
      taskQueue: TASK_QUEUE,
      args: [{ shopId }],
    });
    const result = await handle.result();
    if (result.started !== 1 || result.alreadyClosed !== 1 || result.signalled !== 0)
      throw new Error(`unexpected return reconciliation counts ${JSON.stringify(result)}`);
    return handle;
  },
  // A late-dispatch suspension appeal with the real content activities on the shop's records: drafted, edited and
  // approved, submitted, denied; the one revision approved, submitted and approved by TikTok.
  'suspensionAppeal-edit-deny-revise': async ({ client, db, tiktok }) => {
    const noticeId = 'fixture-ldr';
    const handle = await client.workflow.start(suspensionAppeal, {
      workflowId: suspensionAppealWorkflowId(tiktok.shopId, noticeId),
      taskQueue: TASK_QUEUE,
      args: [
        {
          shopId: tiktok.shopId,
          notice: {
            noticeId,
            reason: 'Late dispatch rate above the threshold',
            noticeDate: new Date().toISOString(),
            region: 'US',
            violatedPolicy: 'Late dispatch rate',
            quotedMetrics: { ldr: 0.12 },
          },
          openedBy: 'fixture',
        },
      ],
    });
    const at = (stage: string, round: number) =>
      until(async () => {
        const v = await handle.query(getSuspensionAppealQuery);
        return v.stage === stage && v.round === round;
      });
    const by = { decidedBy: 'fixture' };
    for (const round of [1, 2]) {
      await at('awaiting_review', round);
      if (round === 1) {
        const [v1] = await createSuspensionAppealRepository(db).listVersions(tiktok.shopId, noticeId);
        if (!v1) throw new Error('no draft');
        const plan = v1.plan as PlanOfAction;
        await handle.executeUpdate(reviewAppealPlanUpdate, {
          args: [{ ...by, action: 'edit', plan: { ...plan, summary: `${plan.summary} Reviewed.` }, version: 1 }],
        });
      }
      await handle.executeUpdate(reviewAppealPlanUpdate, { args: [{ ...by, action: 'approve' }] });
      await at('awaiting_submission', round);
      await handle.executeUpdate(recordAppealSubmissionUpdate, { args: [{ ...by, reference: `SC-${round}` }] });
      await at('submitted', round);
      await handle.executeUpdate(recordAppealDecisionUpdate, {
        args: [
          round === 1
            ? { ...by, decision: 'denied', reason: 'Root cause not specific' }
            : { ...by, decision: 'approved' },
        ],
      });
    }
    const result = await handle.result();
    if (result.stage !== 'approved' || result.round !== 2) throw new Error(`appeal ended ${JSON.stringify(result)}`);
    return handle;
  },
  // The emulator's seeded tax month reported by hand (the shop names no tax engine): the month's Finance lines and FBT
  // stock synced, the report computed from PostgreSQL, approved through its human step; nothing committed.
  'monthlyTaxReport-seeded-month-approved': async ({ client, tiktok }) => {
    const seed = (await tiktok.admin('/tax/seed', { shop_id: tiktok.shopId })) as { month: string };
    const handle = await client.workflow.start(monthlyTaxReport, {
      workflowId: taxReportWorkflowId(tiktok.shopId, seed.month),
      taskQueue: TASK_QUEUE,
      args: [{ shopId: tiktok.shopId, period: seed.month }],
    });
    await until(async () => (await handle.query(getTaxReportQuery)).stage === 'awaiting_approval');
    const { summary } = await handle.query(getTaxReportQuery);
    await handle.executeUpdate(approveTaxReportUpdate, { args: [{ decidedBy: 'fixture', hash: summary!.hash }] });
    const result = await handle.result();
    if (result.stage !== 'approved') throw new Error(`tax report ended ${JSON.stringify(result)}`);
    return handle;
  },
  // A category application on the emulator's restricted Vitamins & Minerals (700439): the vault complete, submitted,
  // rejected by a person's record, fixed, submitted again and approved; the COA and FDA registration attached to the
  // category's product (uploads, Partial Edit Product); its audit approved; asleep until re-qualification. Webhooks are
  // dropped here: the emulator's reviewer is driven through its admin routes, the audit by the signal.
  'categoryUngating-reject-fix-approve': async ({ client, db, tiktok, keyring }) => {
    const { shopId, admin } = tiktok;
    const category = '700439';
    const product = await admin('/products', {
      shop_id: shopId,
      product: {
        title: 'Fixture Vitamins',
        category_id: category,
        skus: [
          { seller_sku: 'FIX-VIT', price: '5.00', inventory: [{ warehouse_id: tiktok.warehouseId, quantity: 5 }] },
        ],
      },
    });
    const store = createFileStore({ db, keyring, maxBytes: 10 * 1024 * 1024 });
    const vault = createCertificateRepository(db);
    const certificate = async (documentType: string, fields: Record<string, string | null>) => {
      const bytes = await renderPdf({
        title: documentType,
        createdAt: new Date('2026-01-15T00:00:00Z'),
        sections: [{ heading: 'Document', blocks: [{ kind: 'paragraph', text: JSON.stringify(fields) }] }],
      });
      const file = await store.put(shopId, bytes, { purpose: 'certificate', createdBy: 'fixture' });
      const row = await vault.insert({
        shop_id: shopId,
        file_id: file.fileId,
        mime_type: file.mimeType,
        size_bytes: file.sizeBytes,
        document_type: documentType,
        issuer: fields.issuer ?? null,
        product: fields.product ?? null,
        lot: fields.lot ?? null,
        identifier: fields.identifier ?? null,
        issued_on: fields.issued_on ?? null,
        expires_on: fields.expires_on ?? null,
        categories: ['dietary_supplements'],
        note: null,
        created_by: 'fixture',
      });
      return row.certificate_id;
    };
    const coa = { issuer: 'Eurofins', product: 'Fixture Vitamins', issued_on: '2026-01-10', expires_on: '2027-12-31' };
    await certificate('certificate_of_analysis', { ...coa, lot: 'unknown' });
    await certificate('fda_food_facility_registration', {
      issuer: 'US FDA',
      identifier: '12345678901',
      expires_on: '2028-12-31',
    });
    const handle = await client.workflow.start(categoryUngating, {
      workflowId: categoryUngatingWorkflowId(shopId, category),
      taskQueue: TASK_QUEUE,
      args: [
        {
          shopId,
          categoryId: category,
          requirementKey: 'dietary_supplements',
          notApplicable: ['brand_authorization'],
          requestedBy: 'fixture',
        },
      ],
    });
    const at = (stepKey: string) =>
      until(async () => (await handle.query(getCategoryUngatingQuery)).waitingFor?.stepKey === stepKey);
    const by = { decidedBy: 'fixture' };
    for (const attempt of [1, 2]) {
      if (attempt === 2) {
        await at('fix:2');
        const fixed = await certificate('certificate_of_analysis', { ...coa, lot: 'LOT-2601-07' });
        await handle.executeUpdate(provideDocumentsUpdate, { args: [{ ...by, certificateIds: [fixed] }] });
      }
      await at(`submit:${attempt}`);
      await admin('/categories/applications', { shop_id: shopId, category_id: category });
      await handle.executeUpdate(recordSubmissionUpdate, { args: [{ ...by, reference: `QC-${attempt}` }] });
      await at(`decision:${attempt}`);
      const outcome = attempt === 1 ? 'rejected:missing COA lot' : 'approved';
      await admin('/categories/decide', { shop_id: shopId, category_id: category, outcome });
      await handle.executeUpdate(recordDecisionUpdate, {
        args: [
          attempt === 1
            ? { ...by, decision: 'rejected', reasons: ['missing COA lot'] }
            : { ...by, decision: 'approved' },
        ],
      });
    }
    await until(async () => (await handle.query(getCategoryUngatingQuery)).stage === 'following_audit');
    await handle.signal(productAuditSignal, {
      productId: product.product.id as string,
      status: 'APPROVED',
      at: new Date().toISOString(),
    });
    await until(async () => {
      if ((await handle.query(getCategoryUngatingQuery)).stage !== 'qualified') return false;
      const events = (await handle.fetchHistory()).events ?? [];
      // Asleep: the re-qualification timer is the last event (its record written before it).
      return !!events.at(-1)?.timerStartedEventAttributes;
    });
    return handle;
  },
  // The connected shop's workflow: registered, authorized (its reconciliation schedule created), revoked (schedule
  // paused, operators notified with a re-authorization link), authorized again (resumed, operators told). Last: the
  // schedule it creates must not run during the scenarios above. The shop keeps running: its history is the fixture.
  'shopLifecycle-authorize-revoke-reauthorize': async ({ client, tiktok }) => {
    const registration = { shopId: tiktok.shopId, region: 'US', displayName: 'Fixture Beauty' };
    const handle = await client.workflow.start(shopLifecycle, {
      workflowId: shopWorkflowId(tiktok.shopId),
      taskQueue: TASK_QUEUE,
      args: [{ registration }],
    });
    const steps: AuthorizationChange[] = [
      { status: 'authorized', reason: 'seller authorized the app', at: '2026-01-01T00:00:00.000Z' },
      { status: 'revoked', reason: 'seller deauthorized the app', at: '2026-01-02T00:00:00.000Z' },
      { status: 'authorized', reason: 'seller authorized the app', at: '2026-01-03T00:00:00.000Z' },
    ];
    for (const change of steps) {
      await handle.signal(authorizationChangedSignal, change);
      await until(async () => (await handle.query(getShopQuery)).authorizationChangedAt === change.at);
    }
    // The restored notice is the last step: the fixture ends once every activity it scheduled has completed.
    await until(async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes);
      const notices = scheduled.filter((e) => e.activityTaskScheduledEventAttributes!.activityType?.name === 'notify');
      const completed = events.filter((e) => e.activityTaskCompletedEventAttributes).length;
      return (
        notices.length === 2 && completed === scheduled.length && !!events.at(-1)?.workflowTaskCompletedEventAttributes
      );
    });
    return handle;
  },
};

/** Starts the emulator with a synthetic shop and product; the shop is connected once the worker's deps exist. */
async function startTikTok(): Promise<
  Omit<TikTokWorld, 'shopId' | 'warehouseId' | 'productId' | 'skuIds'> & {
    seed(): Promise<Omit<TikTokWorld, 'emulator' | 'admin'>>;
  }
> {
  const emulator = await startTikTokShopEmulator({
    port: 0,
    apps: [
      {
        appKey: APP_KEY,
        appSecret: APP_SECRET,
        serviceId: APP_KEY,
        redirectUrl: 'https://ops.example.test/oauth/tiktok/callback',
      },
    ],
  });
  const admin = async (p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${emulator.url}/__admin${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator admin ${p}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    emulator,
    admin,
    seed: async () => {
      await admin('/faults', { webhooks: { dropProbability: 1 } });
      const seeded = await admin('/shops', {
        name: 'Fixture Beauty',
        region: 'US',
        seller_name: 'Fixture',
        warehouses: 1,
      });
      const warehouseId = seeded.warehouses[0].id as string;
      const product = await admin('/products', {
        shop_id: seeded.shop.id,
        product: {
          title: 'Fixture Serum',
          skus: ['FIX-30', 'FIX-50'].map((sellerSku) => ({
            seller_sku: sellerSku,
            price: '10.00',
            inventory: [{ warehouse_id: warehouseId, quantity: 40 }],
          })),
        },
      });
      const skuIds = Object.fromEntries(
        (product.product.skus as { id: string; seller_sku: string }[]).map((s) => [s.seller_sku, s.id]),
      );
      return { shopId: seeded.shop.id as string, warehouseId, productId: product.product.id as string, skuIds };
    },
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const work = fs.mkdtempSync('/tmp/tso-capture-');
  fs.chmodSync(work, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(work, 'pg'),
    port: await freePort(),
    passwordFile: path.join(work, 'pw'),
  });
  const url = await ensureDatabase(pg.url, 'capture');
  const db = createDb(url, 4);
  await migrate(db);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
    },
  });
  const tiktokServer = await startTikTok();
  const cfg = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: path.join(work, 'data'),
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    TIKTOK_APP_KEY: APP_KEY,
    TIKTOK_APP_SECRET: APP_SECRET,
    TIKTOK_API_BASE_URL: tiktokServer.emulator.url,
    TIKTOK_AUTH_BASE_URL: tiktokServer.emulator.url,
  });
  const deps = buildDependencies(cfg, { db, temporal: env.client, logger: pino({ level: 'silent' }) });
  const seeded = await tiktokServer.seed();
  // Connect the shop through the OAuth steps (consent → code → tokens → authorized shops and cipher) and put both
  // SKUs in the catalog, as a catalog import would.
  const consent = await fetch(`${tiktokServer.emulator.url}/oauth/authorize?app_key=${APP_KEY}&state=capture`, {
    redirect: 'manual',
  });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  const grant = await deps.tiktok.auth.exchangeAuthCode(code);
  const openId = await deps.tokens.saveGrant(grant);
  await deps.tokens.saveShops(openId, await getAuthorizedShops(deps.tiktok.client, { accessToken: grant.accessToken }));
  for (const [sellerSku, skuId] of Object.entries(seeded.skuIds)) {
    await db('catalog_items').insert({
      shop_id: seeded.shopId,
      seller_sku: sellerSku,
      parent_key: 'FIXTURE',
      tiktok_product_id: seeded.productId,
      tiktok_sku_id: skuId,
      warehouse_ids: JSON.stringify([seeded.warehouseId]),
      safety_buffer: 2,
    });
  }
  const ctx: Ctx = { client: env.client, db, tiktok: { ...tiktokServer, ...seeded }, keyring: deps.secretsKeyring };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(deps),
  });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  // `npm run capture-histories -- <part of a name>…` writes only those fixtures (every scenario still runs: some
  // count on the ones before them), so a change to one workflow leaves the others' fixtures as they are.
  const only = parseCommandLine(
    'npm run capture-histories -- [part of a fixture name]…',
    {},
    { positionals: true },
  ).positionals;
  await worker.runUntil(async () => {
    for (const [name, scenario] of Object.entries(scenarios)) {
      const handle = await scenario(ctx);
      if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
      const history = await handle.fetchHistory();
      const file = path.join(OUT_DIR, `${name}.json`);
      const json = { workflowId: handle.workflowId, history: JSON.parse(historyToJSON(history)) as unknown };
      fs.writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`);
      process.stdout.write(`wrote ${path.relative(REPO_ROOT, file)} (${history.events?.length} events)\n`);
    }
  });
  await deps.close();
  await env.teardown();
  await tiktokServer.emulator.close();
  await db.destroy();
  await dropDatabase(pg.url, 'capture');
  await pg.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
