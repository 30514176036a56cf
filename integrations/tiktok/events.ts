// Event family (reference §11.1, Appendix A "event"): per-shop webhook configuration.
import { z } from 'zod';
import type { TikTokClient } from './client';
import { emptyDataSchema, parseInput, unixSecondsSchema, type CallOptions, type ShopRef } from './common';

export const SHOP_WEBHOOKS_PATH = '/event/202309/webhooks'; // GET list, PUT upsert, DELETE (JSON body)

/** §11.4: the `event_type` strings Update Shop Webhook accepts. */
export const WEBHOOK_EVENT_TYPES = [
  'ORDER_STATUS_CHANGE',
  'REVERSE_STATUS_UPDATE',
  'RECIPIENT_ADDRESS_UPDATE',
  'PACKAGE_UPDATE',
  'PRODUCT_STATUS_CHANGE',
  'SELLER_DEAUTHORIZATION',
  'UPCOMING_AUTHORIZATION_EXPIRATION',
  'CANCELLATION_STATUS_CHANGE',
  'RETURN_STATUS_CHANGE',
  'NEW_CONVERSATION',
  'NEW_MESSAGE',
  'PRODUCT_INFORMATION_CHANGE',
  'PRODUCT_CREATION',
  'PRODUCT_CATEGORY_CHANGE',
  'NEW_MESSAGE_LISTENER',
  'INVOICE_STATUS_CHANGE',
  'PRODUCT_AUDIT_STATUS_CHANGE',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const shopWebhookSchema = z.looseObject({
  event_type: z.string(), // a string, not the enum: a type added later must not break the listing
  address: z.string(),
  create_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
});
export type ShopWebhook = z.output<typeof shopWebhookSchema>;

export const getShopWebhooksResponseSchema = z.looseObject({
  webhooks: z.array(shopWebhookSchema).optional().default([]),
  total_count: z.number().int().optional(),
});

export async function getShopWebhooks(
  client: TikTokClient,
  shop: ShopRef,
  _input: Record<string, never> = {},
  opts: CallOptions = {},
): Promise<ShopWebhook[]> {
  const data = await client.request({
    method: 'GET',
    path: SHOP_WEBHOOKS_PATH,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getShopWebhooksResponseSchema,
  });
  return data.webhooks;
}

/**
 * §11.1: address ≤ 255 chars; TikTok also requires https, TLS ≥ 1.2, a domain name and no port. Only the length and
 * URL syntax are checked here, so a test environment can register a local address; the real API enforces the rest.
 */
export const updateShopWebhookInputSchema = z.strictObject({
  address: z.url().max(255),
  event_type: webhookEventTypeSchema,
});
export type UpdateShopWebhookInput = z.input<typeof updateShopWebhookInputSchema>;

export async function updateShopWebhook(
  client: TikTokClient,
  shop: ShopRef,
  input: UpdateShopWebhookInput,
  opts: CallOptions = {},
): Promise<void> {
  const body = parseInput(updateShopWebhookInputSchema, input, 'PUT', SHOP_WEBHOOKS_PATH);
  await client.request({
    method: 'PUT',
    path: SHOP_WEBHOOKS_PATH,
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

export const deleteShopWebhookInputSchema = z.strictObject({ event_type: webhookEventTypeSchema });
export type DeleteShopWebhookInput = z.input<typeof deleteShopWebhookInputSchema>;

/** Reports success even when nothing was configured (§11.1). */
export async function deleteShopWebhook(
  client: TikTokClient,
  shop: ShopRef,
  input: DeleteShopWebhookInput,
  opts: CallOptions = {},
): Promise<void> {
  const body = parseInput(deleteShopWebhookInputSchema, input, 'DELETE', SHOP_WEBHOOKS_PATH);
  await client.request({
    method: 'DELETE',
    path: SHOP_WEBHOOKS_PATH,
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}
