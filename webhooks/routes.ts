import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Logger } from 'pino';
import { markShopHealthDirty } from '../accountHealth/dirty';
import type { OnShopHealthDirty } from '../accountHealth/model';
import { createAccountHealthRepository } from '../db/accountHealth';
import { createProductCategoryRepository } from '../db/productCategories';
import type { Db } from '../db/knex';
import { createShopRepository } from '../db/shops';
import type { TikTokWebhookEvent, WebhookKind } from '../integrations/tiktok/webhooks';
import { replayUnmappedAuditEvents, signalCategoryUngating } from '../temporal/categoryUngating';
import { signalOrderWorkflow } from '../temporal/orderStart';
import { signalReturnWorkflow } from '../temporal/returnStart';
import { shopWorkflowId } from '../workflows/ids';
import {
  addressUpdatedSignal,
  cancellationChangedSignal,
  orderStatusChangedSignal,
  packageUpdatedSignal,
} from '../workflows/orderAcknowledgment/messages';
import { authorizationChangedSignal, authorizationExpiringSignal } from '../workflows/shopLifecycle/messages';

export interface RouteContext {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** The accountHealth workflow's signal, called once when a shop's account health goes from clean to dirty. */
  onShopHealthDirty?: OnShopHealthDirty;
  logger?: Pick<Logger, 'warn'>;
}

export type RouteOutcome = { status: 'routed'; workflowIds: string[] } | { status: 'skipped'; reason: string };

export type WebhookRoute = (event: TikTokWebhookEvent, ctx: RouteContext) => Promise<RouteOutcome>;

/** The shops an event is about: its shop_id, else every shop of the seller it names. */
async function shopsOf(event: TikTokWebhookEvent, db: Db): Promise<string[]> {
  if (event.shop_id) return [event.shop_id];
  if (!event.seller_open_id) return [];
  return createShopRepository(db).connectedShopsOfSeller(event.seller_open_id);
}

/** Signals each shop's workflow; a shop we never registered has no workflow to tell (skipped, not failed). */
function toShopWorkflows(
  send: (event: TikTokWebhookEvent, handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
): WebhookRoute {
  return async (event, ctx) => {
    const shops = await shopsOf(event, ctx.db);
    const delivered: string[] = [];
    for (const shopId of shops) {
      const id = shopWorkflowId(shopId);
      try {
        await send(event, ctx.temporal.workflow.getHandle(id));
        delivered.push(id);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    return delivered.length > 0
      ? { status: 'routed', workflowIds: delivered }
      : { status: 'skipped', reason: `no registered shop for ${event.shop_id ?? event.seller_open_id ?? 'unknown'}` };
  };
}

/** The event's shop when it is connected; its events are skipped otherwise. */
async function connectedShopOf(event: TikTokWebhookEvent, db: Db): Promise<string | undefined> {
  const shopId = event.shop_id;
  return shopId && (await createShopRepository(db).connected(shopId)) ? shopId : undefined;
}

const notConnected = (event: TikTokWebhookEvent): RouteOutcome => ({
  status: 'skipped',
  reason: `shop ${event.shop_id ?? 'unknown'} is not connected`,
});

/**
 * Signal-with-start of the return's workflow (temporal/returnStart.ts); a shop that is not connected is skipped, and
 * so is a return whose workflow already completed (a late event starts no second one).
 */
const toReturnWorkflow: WebhookRoute = async (event, ctx) => {
  const shopId = await connectedShopOf(event, ctx.db);
  if (!shopId) return notConnected(event);
  if (event.kind !== 'RETURN_STATUS_CHANGE') return { status: 'skipped', reason: `not a return event: ${event.kind}` };
  const { return_id, return_status, update_time } = event.data;
  try {
    const change = { status: return_status, updateTime: update_time ?? event.timestamp };
    const handle = await signalReturnWorkflow(ctx, shopId, return_id, change);
    return { status: 'routed', workflowIds: [handle.workflowId] };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { status: 'skipped', reason: `return workflow already closed for ${return_id}: a late event starts none` };
  }
};

/**
 * Signal-with-start of each order's workflow. An order of a shop that is not connected is skipped; an order whose
 * workflow already completed is skipped too (a late event never starts a second acknowledgment); one whose workflow
 * failed is started again (temporal/orderStart.ts, ALLOW_DUPLICATE_FAILED_ONLY).
 */
function toOrderWorkflows(
  send: (
    event: TikTokWebhookEvent,
    deliver: <T>(orderId: string, signal: SignalDefinition<[T]>, arg: T) => Promise<void>,
  ) => Promise<void>,
): WebhookRoute {
  return async (event, ctx) => {
    const shopId = await connectedShopOf(event, ctx.db);
    if (!shopId) return notConnected(event);
    const delivered: string[] = [];
    const closed: string[] = [];
    await send(event, async (orderId, signal, arg) => {
      try {
        const handle = await signalOrderWorkflow(ctx, shopId, orderId, signal, arg);
        delivered.push(handle.workflowId);
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        closed.push(orderId);
      }
    });
    if (delivered.length > 0) return { status: 'routed', workflowIds: delivered };
    return {
      status: 'skipped',
      reason:
        closed.length > 0
          ? `order workflow already closed for ${closed.join(', ')}: a late event starts no second acknowledgment`
          : 'the event names no order',
    };
  };
}

/**
 * The order workflow ends at the carrier scan, so TikTok's later DELIVERED status reaches a closed workflow: its time
 * is kept for the on-time delivery rate (accountHealth/metrics.ts) whatever the route made of the event.
 */
function withDeliveryFact(route: WebhookRoute): WebhookRoute {
  return async (event, ctx) => {
    const outcome = await route(event, ctx);
    if (event.kind !== 'ORDER_STATUS_CHANGE' || event.data.order_status !== 'DELIVERED' || !event.shop_id)
      return outcome;
    const at = new Date(event.data.update_time * 1000);
    const shopId = event.shop_id;
    if (await createAccountHealthRepository(ctx.db).recordDelivered(shopId, event.data.order_id, at))
      await markShopHealthDirty(ctx.db, shopId, ctx.onShopHealthDirty, (message, meta) =>
        ctx.logger?.warn(meta, message),
      );
    return outcome;
  };
}

const eventTime = (event: TikTokWebhookEvent) => new Date(event.timestamp * 1000).toISOString();

/**
 * A product audit webhook (type 37) carries only a product id: our product → category mapping (db/productCategories.ts,
 * synced from Get Product) names the category, and the event goes to that category's categoryUngating workflow as the
 * `productAudit` signal (temporal/categoryUngating.ts; never signal-with-start). Every event is recorded with what became
 * of it: a product not in the mapping yet ('unmapped', replayed once the mapping has it) and a category without a
 * running application ('no_application') are kept and skipped, not lost.
 */
const toCategoryUngating: WebhookRoute = async (event, ctx) => {
  const shopId = await connectedShopOf(event, ctx.db);
  if (!shopId) return notConnected(event);
  if (event.kind !== 'PRODUCT_AUDIT_STATUS_CHANGE')
    return { status: 'skipped', reason: `not a product audit: ${event.kind}` };
  const { product_id: productId, audit, update_time } = event.data;
  // The page's table says `pre_approved_reasons` ([]string); its example sends `pre_approved_reason` (one string).
  const single = (audit as { pre_approved_reason?: unknown }).pre_approved_reason;
  const reasons = audit.pre_approved_reasons ?? (typeof single === 'string' ? [single] : []);
  const at = new Date(update_time * 1000);
  const repo = createProductCategoryRepository(ctx.db);
  const categoryId = await repo.categoryOf(shopId, productId);
  const record = { shop_id: shopId, product_id: productId, audit_status: audit.status, reasons, occurred_at: at };
  if (!categoryId) {
    await repo.recordAuditEvent({ ...record, category_id: null, outcome: 'unmapped', workflow_id: null });
    return { status: 'skipped', reason: `product ${productId} is not in the category mapping yet: recorded` };
  }
  await repo.recordAuditStatus(shopId, productId, audit.status);
  const signalled = await signalCategoryUngating(ctx.temporal, shopId, categoryId, {
    productId,
    status: audit.status,
    reasons,
    at: at.toISOString(),
  });
  const outcome = signalled.delivered ? 'routed' : 'no_application';
  await repo.recordAuditEvent({ ...record, category_id: categoryId, outcome, workflow_id: signalled.workflowId });
  return signalled.delivered
    ? { status: 'routed', workflowIds: [signalled.workflowId] }
    : { status: 'skipped', reason: `no category application runs for ${categoryId}: recorded` };
};

/**
 * A product moved to another category (type 18, which names the new one): the mapping takes it at once, and the audit
 * events recorded while the product was unmapped go to its category's workflow now.
 */
const toProductCategoryMapping: WebhookRoute = async (event, ctx) => {
  const shopId = await connectedShopOf(event, ctx.db);
  if (!shopId) return notConnected(event);
  if (event.kind !== 'PRODUCT_CATEGORY_CHANGE')
    return { status: 'skipped', reason: `not a category change: ${event.kind}` };
  const { product_id: productId, current_category_id: categoryId } = event.data;
  const repo = createProductCategoryRepository(ctx.db);
  await repo.moveToCategory(shopId, productId, categoryId);
  await replayUnmappedAuditEvents(ctx.temporal, repo, shopId, productId);
  return { status: 'skipped', reason: `recorded in the category mapping: product ${productId} is in ${categoryId}` };
};

/**
 * Which workflow each webhook kind goes to. A kind without a route stays in the inbox as `unrouted`; once a release
 * adds its route, the relay picks those rows up again by itself.
 */
export const WEBHOOK_ROUTES: Partial<Record<WebhookKind, WebhookRoute>> = {
  SELLER_DEAUTHORIZATION: toShopWorkflows((event, handle) =>
    handle.signal(authorizationChangedSignal, {
      status: 'revoked',
      reason: 'the seller deauthorized the app (SELLER_DEAUTHORIZATION webhook)',
      at: eventTime(event),
    }),
  ),
  UPCOMING_AUTHORIZATION_EXPIRATION: toShopWorkflows((event, handle) => {
    const data = event.kind === 'UPCOMING_AUTHORIZATION_EXPIRATION' ? event.data : undefined;
    const expiresAt = data?.expiration_time ? new Date(data.expiration_time * 1000).toISOString() : 'soon';
    return handle.signal(authorizationExpiringSignal, { expiresAt, at: eventTime(event) });
  }),
  ORDER_STATUS_CHANGE: withDeliveryFact(
    toOrderWorkflows(async (event, deliver) => {
      if (event.kind !== 'ORDER_STATUS_CHANGE') return;
      const { order_id, order_status, update_time } = event.data;
      await deliver(order_id, orderStatusChangedSignal, { status: order_status, updateTime: update_time });
    }),
  ),
  CANCELLATION_STATUS_CHANGE: toOrderWorkflows(async (event, deliver) => {
    if (event.kind !== 'CANCELLATION_STATUS_CHANGE') return;
    const { order_id, cancel_id, cancel_status } = event.data;
    await deliver(order_id, cancellationChangedSignal, { cancelId: cancel_id, cancelStatus: cancel_status });
  }),
  RECIPIENT_ADDRESS_UPDATE: toOrderWorkflows(async (event, deliver) => {
    if (event.kind !== 'RECIPIENT_ADDRESS_UPDATE') return;
    await deliver(event.data.order_id, addressUpdatedSignal, { updateTime: event.data.update_time });
  }),
  RETURN_STATUS_CHANGE: toReturnWorkflow,
  PRODUCT_AUDIT_STATUS_CHANGE: toCategoryUngating,
  PRODUCT_CATEGORY_CHANGE: toProductCategoryMapping,
  PACKAGE_UPDATE: toOrderWorkflows(async (event, deliver) => {
    if (event.kind !== 'PACKAGE_UPDATE') return;
    const orders = new Map<string, string[]>();
    for (const pkg of event.data.package_list) {
      for (const orderId of pkg.order_id_list) orders.set(orderId, [...(orders.get(orderId) ?? []), pkg.package_id]);
    }
    for (const [orderId, packageIds] of orders) {
      await deliver(orderId, packageUpdatedSignal, { packageIds, updateTime: event.data.update_time });
    }
  }),
};
