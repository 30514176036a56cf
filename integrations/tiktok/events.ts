// Event family declared as endpoints: per-shop webhook configuration (one path: GET lists, PUT upserts, DELETE with a
// JSON body removes).
import { z } from 'zod';
import { emptyDataSchema, unixSecondsSchema } from './common';
import { defineEndpoint, docsPage } from './endpoint';

/** The `event_type` strings Update Shop Webhook accepts (https://partner.tiktokshop.com/docv2/page/update-shop-webhook-202309). */
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

export const eventEndpoints = {
  getShopWebhooks: defineEndpoint({
    title: 'Get Shop Webhooks',
    docs: docsPage('get-shop-webhooks-202309'),
    method: 'GET',
    path: '/event/202309/webhooks',
    shopCipher: true,
    response: z
      .looseObject({
        webhooks: z.array(shopWebhookSchema).optional().default([]),
        total_count: z.number().int().optional(),
      })
      .transform((d) => d.webhooks),
  }),

  /**
   * The address is at most 255 characters; TikTok also requires https, TLS ≥ 1.2, a domain name and no port. Only the
   * length and URL syntax are checked here, so a test environment can register a local address.
   */
  updateShopWebhook: defineEndpoint({
    title: 'Update Shop Webhook',
    docs: docsPage('update-shop-webhook-202309'),
    method: 'PUT',
    path: '/event/202309/webhooks',
    shopCipher: true,
    body: z.strictObject({ address: z.url().max(255), event_type: webhookEventTypeSchema }),
    response: emptyDataSchema,
  }),

  /** Reports success even when nothing was configured. */
  deleteShopWebhook: defineEndpoint({
    title: 'Delete Shop Webhook',
    docs: docsPage('delete-shop-webhook-202309'),
    method: 'DELETE',
    path: '/event/202309/webhooks',
    shopCipher: true,
    body: z.strictObject({ event_type: webhookEventTypeSchema }),
    response: emptyDataSchema,
  }),
};
