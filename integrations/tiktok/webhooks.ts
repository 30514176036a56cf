// Incoming webhooks: envelope (reference §11.3), payloads of the types we route (§11.4), normalisation of the enum
// inconsistencies (§15) and the de-duplication key (§11.1). Signature verification is in signing.ts (§11.2).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cancelStatusSchema, returnStatusSchema, webhookOrderStatusSchema } from './enums';

/** Numeric `type` of the webhooks we route (§11.4). Type 27 has no event_type string; the name is ours. */
export const WEBHOOK_TYPES = {
  ORDER_STATUS_CHANGE: 1,
  RECIPIENT_ADDRESS_UPDATE: 3,
  PACKAGE_UPDATE: 4,
  PRODUCT_STATUS_CHANGE: 5,
  SELLER_DEAUTHORIZATION: 6,
  UPCOMING_AUTHORIZATION_EXPIRATION: 7,
  CANCELLATION_STATUS_CHANGE: 11,
  RETURN_STATUS_CHANGE: 12,
  PRODUCT_CATEGORY_CHANGE: 18,
  INVENTORY_STATUS_CHANGE: 27,
  PRODUCT_AUDIT_STATUS_CHANGE: 37,
} as const;
export type WebhookKind = keyof typeof WEBHOOK_TYPES;

/**
 * JSON.parse that keeps integers beyond 2^53 exact by turning them into strings first. §15: product ids arrive as
 * JSON numbers in webhook types 5, 16 and 37, and 19-digit ids do not survive a plain JSON.parse.
 */
export function parseJsonPreservingLargeIntegers(text: string): unknown {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (ch === '"') inString = false;
      i += 1;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      i += 1;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j] as string)) j += 1;
      const token = text.slice(i, j);
      out += /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token;
      i = j;
      continue;
    }
    out += ch;
    i += 1;
  }
  return JSON.parse(out);
}

/** Ids that some payloads send as JSON numbers (§15) become strings. */
const flexibleIdSchema = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));
const unixSeconds = z.number().int().nonnegative();
/** A Unix-seconds value that may arrive as a numeric string (type 7 `expiration_time`, §11.4). */
const flexibleSecondsSchema = z.union([unixSeconds, z.string().regex(/^\d+$/).transform(Number)]);

/** §11.3: `{type, tts_notification_id, shop_id, timestamp, data}`; creator/FBT webhooks carry other owner ids. */
export const webhookEnvelopeSchema = z.looseObject({
  type: z.number().int(),
  tts_notification_id: z.string().min(1).optional(), // absent in the DOC example of type 3
  shop_id: flexibleIdSchema.optional(),
  creator_open_id: z.string().optional(),
  seller_open_id: z.string().optional(),
  timestamp: unixSeconds,
  data: z.record(z.string(), z.unknown()).optional().default({}),
});
export type WebhookEnvelope = z.output<typeof webhookEnvelopeSchema>;

// ---------- payloads (§11.4) ----------

export const orderStatusChangeDataSchema = z.looseObject({
  order_id: flexibleIdSchema,
  order_status: webhookOrderStatusSchema, // CANCEL → CANCELLED
  is_on_hold_order: z.boolean().optional(),
  update_time: unixSeconds,
});

export const recipientAddressUpdateDataSchema = z.looseObject({
  order_id: flexibleIdSchema,
  update_time: unixSeconds,
});

export const packageUpdateDataSchema = z.looseObject({
  sc_type: z.string(), // COMBINE, CANCEL_COMBINE, SPLIT, CANCEL_SPLIT, ...
  role_type: z.string().optional(), // ROLE_USER, ROLE_SELLER, ROLE_OPERATOR, ROLE_SYSTEM
  package_list: z
    .array(
      z.looseObject({
        package_id: flexibleIdSchema,
        order_id_list: z.array(flexibleIdSchema).optional().default([]),
      }),
    )
    .optional()
    .default([]),
  update_time: unixSeconds,
});

export const productStatusChangeDataSchema = z.looseObject({
  product_id: flexibleIdSchema, // a JSON number in the DOC example
  status: z.string(), // PRODUCT_FIRST_PASS_REVIEW, PRODUCT_STATUS_CHANGED, PRODUCT_AUDIT_FAILURE
  suspended_reason: z.string().optional(),
  update_time: unixSeconds,
});

export const sellerDeauthorizationDataSchema = z.looseObject({ message: z.string().optional() });

export const upcomingAuthorizationExpirationDataSchema = z.looseObject({
  message: z.string().optional(),
  expiration_time: flexibleSecondsSchema.optional(),
});

export const cancellationStatusChangeDataSchema = z.looseObject({
  order_id: flexibleIdSchema,
  cancellations_role: z.string().optional(), // BUYER | SELLER | SYSTEM
  cancel_status: cancelStatusSchema, // …_CANCEL → …_CANCELLED
  cancel_id: flexibleIdSchema,
  create_time: unixSeconds.optional(),
  update_time: unixSeconds.optional(),
});

export const returnStatusChangeDataSchema = z.looseObject({
  order_id: flexibleIdSchema,
  return_role: z.string().optional(),
  return_type: z.string().optional(), // REFUND | REPLACEMENT | RETURN_AND_REFUND
  return_status: returnStatusSchema, // …__REQUEST_CANCELLED → …_REQUEST_CANCEL
  return_id: flexibleIdSchema,
  create_time: unixSeconds.optional(),
  update_time: unixSeconds.optional(),
});

export const inventoryStatusChangeDataSchema = z.looseObject({
  product_id: flexibleIdSchema,
  sku_id: flexibleIdSchema,
  trigger_reason: z
    .looseObject({
      alert_type: z.string().optional(), // PREDICTION | REALTIME
      lead_days: z.number().optional(),
      low_stock_threshold: z.number().optional(),
    })
    .optional(),
  current_inventory_status: z.enum(['SUFFICIENT_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK']),
  inventory_distribution: z
    .looseObject({
      total_quantity: z.number().int().optional(),
      available_quantity: z.number().int().optional(),
      creator_reserved_quantity: z.number().int().optional(),
      campaign_reserved_quantity: z.number().int().optional(),
      committed_quantity: z.number().int().optional(),
    })
    .optional(),
  update_time: unixSeconds,
});

/**
 * Type 18, a product moved to another category (DOC page "(18) Product category change",
 * https://github.com/lazykern/ecommerce-api-docs/blob/eba059e3e9e6ef5605117593b3c79866ed7c814e/data/raw/tiktok/webhooks/product/18-product-category-change.json).
 */
export const productCategoryChangeDataSchema = z.looseObject({
  product_id: flexibleIdSchema,
  previous_category_id: flexibleIdSchema.optional(),
  current_category_id: flexibleIdSchema,
  update_time: unixSeconds,
});

export const productAuditStatusChangeDataSchema = z.looseObject({
  product_id: flexibleIdSchema, // a JSON number in the DOC example
  audit: z.looseObject({ status: z.string(), pre_approved_reasons: z.array(z.string()).optional() }),
  integrated_platform_statuses: z.unknown().optional(),
  update_time: unixSeconds,
});

const DATA_SCHEMAS = {
  ORDER_STATUS_CHANGE: orderStatusChangeDataSchema,
  RECIPIENT_ADDRESS_UPDATE: recipientAddressUpdateDataSchema,
  PACKAGE_UPDATE: packageUpdateDataSchema,
  PRODUCT_STATUS_CHANGE: productStatusChangeDataSchema,
  SELLER_DEAUTHORIZATION: sellerDeauthorizationDataSchema,
  UPCOMING_AUTHORIZATION_EXPIRATION: upcomingAuthorizationExpirationDataSchema,
  CANCELLATION_STATUS_CHANGE: cancellationStatusChangeDataSchema,
  RETURN_STATUS_CHANGE: returnStatusChangeDataSchema,
  PRODUCT_CATEGORY_CHANGE: productCategoryChangeDataSchema,
  INVENTORY_STATUS_CHANGE: inventoryStatusChangeDataSchema,
  PRODUCT_AUDIT_STATUS_CHANGE: productAuditStatusChangeDataSchema,
} as const satisfies Record<WebhookKind, z.ZodType>;

interface WebhookCommon {
  type: number;
  tts_notification_id?: string;
  shop_id?: string;
  creator_open_id?: string;
  seller_open_id?: string;
  /** Unix seconds of the push. */
  timestamp: number;
}

export type KnownWebhookEvent = {
  [K in WebhookKind]: WebhookCommon & { kind: K; data: z.output<(typeof DATA_SCHEMAS)[K]> };
}[WebhookKind];

/** A type we do not route: kept whole so it can be stored and inspected. */
export type UnknownWebhookEvent = WebhookCommon & { kind: 'UNKNOWN'; data: Record<string, unknown> };

export type TikTokWebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

export type WebhookEventOf<K extends WebhookKind> = Extract<KnownWebhookEvent, { kind: K }>;

const KIND_BY_TYPE = new Map<number, WebhookKind>(
  (Object.entries(WEBHOOK_TYPES) as [WebhookKind, number][]).map(([kind, type]) => [type, kind]),
);

export type SafeParseWebhookResult = { ok: true; event: TikTokWebhookEvent } | { ok: false; error: string };

/**
 * Parses a webhook body (the raw string/Buffer, or an already-parsed value). Call verifyWebhookSignature on the raw
 * body first.
 */
export function safeParseWebhookEvent(body: unknown): SafeParseWebhookResult {
  let json: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      json = parseJsonPreservingLargeIntegers(typeof body === 'string' ? body : body.toString('utf8'));
    } catch (err) {
      return { ok: false, error: `webhook body is not JSON: ${(err as Error).message}` };
    }
  }
  const envelope = webhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, error: `invalid webhook envelope: ${formatIssues(envelope.error)}` };
  const { type, tts_notification_id, shop_id, creator_open_id, seller_open_id, timestamp, data } = envelope.data;
  const common: WebhookCommon = { type, timestamp };
  if (tts_notification_id !== undefined) common.tts_notification_id = tts_notification_id;
  if (shop_id !== undefined) common.shop_id = shop_id;
  if (creator_open_id !== undefined) common.creator_open_id = creator_open_id;
  if (seller_open_id !== undefined) common.seller_open_id = seller_open_id;

  const kind = KIND_BY_TYPE.get(type);
  if (kind === undefined) return { ok: true, event: { ...common, kind: 'UNKNOWN', data } };
  const parsed = DATA_SCHEMAS[kind].safeParse(data);
  if (!parsed.success)
    return { ok: false, error: `invalid ${kind} (type ${type}) data: ${formatIssues(parsed.error)}` };
  return { ok: true, event: { ...common, kind, data: parsed.data } as KnownWebhookEvent };
}

export class TikTokWebhookParseError extends Error {
  override readonly name = 'TikTokWebhookParseError';
}

export function parseWebhookEvent(body: unknown): TikTokWebhookEvent {
  const result = safeParseWebhookEvent(body);
  if (!result.ok) throw new TikTokWebhookParseError(result.error);
  return result.event;
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * De-duplication key. TikTok may deliver a notification more than once (§11.1); `tts_notification_id` identifies it.
 * When it is absent (e.g. the DOC example of type 3), the key is type + owner (shop) + business id + the business
 * update time. The normalised status is part of the business id, because webhooks 11/12 carry only create_time,
 * which does not change between status changes of one cancellation or return.
 */
export function webhookDedupKey(event: TikTokWebhookEvent): string {
  if (event.tts_notification_id !== undefined) return event.tts_notification_id;
  const owner = event.shop_id ?? event.creator_open_id ?? event.seller_open_id ?? '';
  const [businessId, time] = businessKey(event);
  return `${event.type}:${owner}:${businessId}:${time}`;
}

function businessKey(event: TikTokWebhookEvent): [string, number | string] {
  switch (event.kind) {
    case 'ORDER_STATUS_CHANGE':
      return [`${event.data.order_id}/${event.data.order_status}`, event.data.update_time];
    case 'RECIPIENT_ADDRESS_UPDATE':
      return [event.data.order_id, event.data.update_time];
    case 'PACKAGE_UPDATE': {
      const ids = event.data.package_list.map((p) => p.package_id).sort();
      return [`${event.data.sc_type}/${ids.join(',')}`, event.data.update_time];
    }
    case 'PRODUCT_STATUS_CHANGE':
      return [`${event.data.product_id}/${event.data.status}`, event.data.update_time];
    case 'SELLER_DEAUTHORIZATION':
      return ['', event.timestamp];
    case 'UPCOMING_AUTHORIZATION_EXPIRATION':
      return [String(event.data.expiration_time ?? ''), event.timestamp];
    case 'CANCELLATION_STATUS_CHANGE':
      return [
        `${event.data.cancel_id}/${event.data.cancel_status}`,
        event.data.update_time ?? event.data.create_time ?? event.timestamp,
      ];
    case 'RETURN_STATUS_CHANGE':
      return [
        `${event.data.return_id}/${event.data.return_status}`,
        event.data.update_time ?? event.data.create_time ?? event.timestamp,
      ];
    case 'INVENTORY_STATUS_CHANGE':
      return [
        `${event.data.product_id}/${event.data.sku_id}/${event.data.current_inventory_status}`,
        event.data.update_time,
      ];
    case 'PRODUCT_CATEGORY_CHANGE':
      return [`${event.data.product_id}/${event.data.current_category_id}`, event.data.update_time];
    case 'PRODUCT_AUDIT_STATUS_CHANGE':
      return [`${event.data.product_id}/${event.data.audit.status}`, event.data.update_time];
    case 'UNKNOWN': {
      const digest = createHash('sha256').update(canonicalJson(event.data)).digest('hex').slice(0, 32);
      return [`sha256:${digest}`, event.timestamp];
    }
  }
}

/** JSON with object keys sorted, so equal payloads hash equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
