import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../db/knex';
import type { TikTokWebhookEvent, WebhookKind } from '../integrations/tiktok/webhooks';
import { shopWorkflowId } from '../workflows/ids';
import { authorizationChangedSignal, authorizationExpiringSignal } from '../workflows/shopLifecycle';

export interface RouteContext {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export type RouteOutcome = { status: 'routed'; workflowIds: string[] } | { status: 'skipped'; reason: string };

export type WebhookRoute = (event: TikTokWebhookEvent, ctx: RouteContext) => Promise<RouteOutcome>;

/** The shops an event is about: its shop_id, else every shop of the seller it names. */
async function shopsOf(event: TikTokWebhookEvent, db: Db): Promise<string[]> {
  if (event.shop_id) return [event.shop_id];
  if (!event.seller_open_id) return [];
  const rows = await db('tiktok_shops')
    .where({ open_id: event.seller_open_id })
    .select<{ shop_id: string }[]>('shop_id');
  return rows.map((r) => r.shop_id);
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

const eventTime = (event: TikTokWebhookEvent) => new Date(event.timestamp * 1000).toISOString();

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
};
