// In-memory state of the emulated platform: apps, sellers, shops, catalogue, orders, after-sales, tokens.
import { AffiliateState } from './affiliateState';
import { CategoryState } from './categoryState';
import { TaxFinanceState } from './taxFinanceState';
import type { BusinessRules } from './rules';

export interface AppConfig {
  appKey: string;
  appSecret: string;
  serviceId?: string;
  /** Where /oauth/authorize redirects with `code` and `state` (ref §3.1). */
  redirectUrl?: string;
  /** App-level webhook URL (the Partner Center setting, ref §11.1). */
  webhookUrl?: string;
}

export interface Seller {
  openId: string;
  name: string;
  region: string;
  shopIds: string[];
}

export interface Shop {
  id: string;
  name: string;
  region: string;
  sellerType: 'LOCAL' | 'CROSS_BORDER';
  cipher: string;
  code: string;
  openId: string;
  /** apps the seller has authorized for this shop; webhooks go to these apps (ref §11.1) */
  authorizedAppKeys: string[];
}

export interface Warehouse {
  id: string;
  shopId: string;
  name: string;
  type: 'SALES_WAREHOUSE' | 'RETURN_WAREHOUSE';
  isDefault: boolean;
  effectStatus: 'ENABLED' | 'DISABLED' | 'RESTRICTED';
  address: { region: string; state: string; city: string; postalCode: string; fullAddress: string };
}

export interface StockLevel {
  available: number;
  committed: number;
}

export interface Sku {
  id: string;
  productId: string;
  sellerSku: string;
  name: string;
  price: { amount: string; currency: string };
  /** warehouse id → stock */
  inventory: Map<string, StockLevel>;
}

export type ProductStatus =
  'DRAFT' | 'PENDING' | 'FAILED' | 'ACTIVATE' | 'SELLER_DEACTIVATED' | 'PLATFORM_DEACTIVATED' | 'FREEZE' | 'DELETED';

export interface Product {
  id: string;
  shopId: string;
  title: string;
  status: ProductStatus;
  auditStatus: 'NONE' | 'AUDITING' | 'FAILED' | 'PRE_APPROVED' | 'APPROVED';
  auditDueAt: number | null;
  createTime: number;
  updateTime: number;
  skus: Sku[];
  /** Leaf category (categories.ts); null when the product was seeded without one. */
  categoryId: string | null;
  /** Set by Create / Partial Edit Product; null: Get Product answers a description made from the title. */
  description: string | null;
  mainImageUris: string[];
  certifications: ProductCertification[];
  /** `audit.pre_approved_reasons` (e.g. RESTRICTED_CATEGORY_PENDING) while `auditStatus` is PRE_APPROVED. */
  preApprovedReasons: string[];
  /** `audit_failed_reasons[].reasons` of the last failed audit. */
  auditFailedReasons: string[];
}

/** A certification as Create / Partial Edit Product store it (`expirationDate`: Unix seconds). */
export interface ProductCertification {
  id: string;
  images: string[];
  files: { id: string; name: string; format: string }[];
  expirationDate: number | null;
}

export type OrderStatus =
  | 'UNPAID'
  | 'ON_HOLD'
  | 'AWAITING_SHIPMENT'
  | 'PARTIALLY_SHIPPING'
  | 'AWAITING_COLLECTION'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'COMPLETED'
  | 'CANCELLED';

export interface LineItem {
  id: string;
  skuId: string;
  productId: string;
  productName: string;
  skuName: string;
  sellerSku: string;
  salePrice: string;
  currency: string;
  warehouseId: string;
  packageId: string | null;
  cancelled: boolean;
  cancelUser: 'BUYER' | 'SELLER' | 'SYSTEM' | null;
  cancelReason: string | null;
  rtsTime: number | null;
  refunded: boolean;
  /** Tax fields of the line (the tax seed plants them; absent: no discount, no tax). */
  tax?: LineTax;
}

/** A line's price before discounts, who funded its discounts and the sales tax TikTok charged on it. */
export interface LineTax {
  originalPrice: string;
  sellerDiscount: string;
  platformDiscount: string;
  itemTax: string;
  taxRate: string;
}

export interface Address {
  name: string;
  phoneNumber: string;
  addressLine1: string;
  city: string;
  state: string;
  postalCode: string;
  regionCode: string;
}

export interface OrderTransition {
  status: OrderStatus;
  /** business time, ms */
  at: number;
  /** real wall-clock time, ms */
  realAt: number;
  cause: string;
}

export interface Order {
  id: string;
  shopId: string;
  status: OrderStatus;
  buyerUserId: string;
  buyerEmail: string;
  buyerMessage: string;
  shippingType: 'TIKTOK' | 'SELLER';
  warehouseId: string;
  deliveryOptionId: string;
  createTime: number;
  updateTime: number;
  paidTime: number | null;
  rtsTime: number | null;
  collectionTime: number | null;
  deliveryTime: number | null;
  cancelTime: number | null;
  requestCancelTime: number | null;
  cancelReason: string | null;
  cancellationInitiator: 'SELLER' | 'BUYER' | 'SYSTEM' | null;
  isBuyerRequestCancel: boolean;
  /** A free sample for a creator (affiliate): `is_sample_order`, left out of the seller-fault cancellation rate. */
  sampleOrder?: boolean;
  lateDispatch: boolean;
  /** SLA instants, ms (ref §5.4) */
  sla: {
    rts: number;
    tts: number;
    delivery: number;
    cancelOrder: number;
    shippingDue: number;
    collectionDue: number;
    deliveryDue: number;
  };
  lineItems: LineItem[];
  packageIds: string[];
  address: Address;
  shippingFee: string;
  externalOrders: { id: string; platform: string; lineItems: { id: string; originId: string }[] }[];
  transitions: OrderTransition[];
  awaitingShipmentAt: number | null;
  /** Sales tax on the shipping fee (tax seed); absent: none. */
  shippingFeeTax?: string;
  /** Absent: FULFILLMENT_BY_SELLER. */
  fulfillmentType?: 'FULFILLMENT_BY_SELLER' | 'FULFILLMENT_BY_TIKTOK';
}

export type PackageStatus = 'TO_FULFILL' | 'PROCESSING' | 'FULFILLING' | 'COMPLETED' | 'CANCELLED';

export interface TrackingEvent {
  description: string;
  atMs: number;
}

export interface Package {
  id: string;
  shopId: string;
  orderId: string;
  lineItemIds: string[];
  status: PackageStatus;
  shippingType: 'TIKTOK' | 'SELLER';
  /** true once shipment is arranged (mark-as-shipped, or Ship Package for TikTok shipping) */
  shipped: boolean;
  trackingNumber: string;
  shippingProviderId: string;
  shippingProviderName: string;
  deliveryOptionId: string;
  handoverMethod: 'PICKUP' | 'DROP_OFF' | null;
  splitTag: 'DEFAULT' | 'SPLIT';
  createTime: number;
  updateTime: number;
  tracking: TrackingEvent[];
}

export type CancelStatus =
  | 'CANCELLATION_REQUEST_PENDING'
  | 'CANCELLATION_REQUEST_SUCCESS'
  | 'CANCELLATION_REQUEST_CANCELLED'
  | 'CANCELLATION_REQUEST_COMPLETE';

export interface Cancellation {
  id: string;
  orderId: string;
  shopId: string;
  type: 'CANCEL' | 'BUYER_CANCEL';
  status: CancelStatus;
  role: 'BUYER' | 'SELLER' | 'SYSTEM';
  reason: string;
  reasonText: string;
  createTime: number;
  updateTime: number;
  deadline: number | null;
  lineItemIds: string[];
}

export type ReturnStatus =
  | 'RETURN_OR_REFUND_REQUEST_PENDING'
  | 'REFUND_OR_RETURN_REQUEST_REJECT'
  | 'AWAITING_BUYER_SHIP'
  | 'BUYER_SHIPPED_ITEM'
  | 'REJECT_RECEIVE_PACKAGE'
  | 'RETURN_OR_REFUND_REQUEST_SUCCESS'
  | 'RETURN_OR_REFUND_REQUEST_CANCEL'
  | 'RETURN_OR_REFUND_REQUEST_COMPLETE'
  | 'REPLACEMENT_REQUEST_PENDING'
  | 'REPLACEMENT_REQUEST_REJECT'
  | 'REPLACEMENT_REQUEST_REFUND_SUCCESS'
  | 'REPLACEMENT_REQUEST_CANCEL'
  | 'REPLACEMENT_REQUEST_COMPLETE';

export type ReturnRequestType = 'REFUND' | 'RETURN_AND_REFUND' | 'REPLACEMENT';

export type SellerAction =
  'SELLER_RESPOND_REFUND' | 'SELLER_RESPOND_RETURN' | 'SELLER_RESPOND_RECEIVE_PACKAGE' | 'SELLER_RESPOND_REPLACEMENT';

/** `arbitration_status` of a return (ref §8): set once the buyer escalates a rejection to the platform. */
export type ArbitrationStatus = 'IN_PROGRESS' | 'SUPPORT_BUYER' | 'SUPPORT_SELLER' | 'CLOSED';

/** Who acted on an after-sales request (ref §8 `role`; Get Return Records `role`). */
export type AfterSalesRole = 'BUYER' | 'SELLER' | 'OPERATOR' | 'SYSTEM';

/** An image kept with a rejection or a record: what Upload Product Image stored under the given uri. */
export interface ReturnImage {
  imageId: string;
  url: string;
  mimeType: string;
  width: number;
  height: number;
}

/** One entry of Get Return Records (https://partner.tiktokshop.com/docv2/page/get-return-records-202309). */
export interface ReturnRecordEntry {
  role: AfterSalesRole;
  description: string;
  reasonText: string;
  note: string;
  images: ReturnImage[];
  /** business time, ms */
  at: number;
  /** real wall-clock time, ms */
  realAt: number;
  /** The return's status and arbitration status after this step (emulator record, not in the API answer). */
  status: ReturnStatus;
  arbitrationStatus: ArbitrationStatus | null;
  /** The Approve/Reject `decision` when the seller (or the platform on its behalf) decided. */
  decision: string | null;
}

export interface ReturnRejection {
  decision: string;
  reason: string;
  reasonText: string;
  comment: string;
  images: ReturnImage[];
  at: number;
}

export interface ReturnRequest {
  id: string;
  orderId: string;
  shopId: string;
  type: ReturnRequestType;
  status: ReturnStatus;
  role: AfterSalesRole;
  reason: string;
  reasonText: string;
  createTime: number;
  updateTime: number;
  nextAction: { action: SellerAction; deadline: number } | null;
  lineItemIds: string[];
  buyerKeepItem: boolean;
  returnTrackingNumber: string;
  arbitrationStatus: ArbitrationStatus | null;
  /** The seller's last rejection (reason, comment, evidence images), for tests and the admin API. */
  rejection: ReturnRejection | null;
  /** One entry per transition, oldest first (Get Return Records). */
  records: ReturnRecordEntry[];
}

export interface AuthCode {
  code: string;
  appKey: string;
  openId: string;
  expiresAt: number;
  used: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  appKey: string;
  openId: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
  revoked: boolean;
}

export interface WebhookSubscription {
  appKey: string;
  shopId: string;
  eventType: string;
  address: string;
  createTime: number;
  updateTime: number;
}

export interface MutationRecord {
  seq: number;
  realTime: string;
  businessTime: number;
  method: string;
  path: string;
  api: string;
  action: string;
  appKey: string | null;
  shopId: string | null;
  orderIds: string[];
  skuIds: string[];
  productIds: string[];
  packageIds: string[];
  /** Returns the call decided on (Approve/Reject Return). */
  returnIds: string[];
  /** The Approve/Reject Return `decision` of the call, when it had one. */
  decision: string | null;
  applied: boolean;
  code: number;
  responseLost: boolean;
  idempotencyKey: string | null;
  /** `seq` of the first request with the same idempotency key when this one replayed its outcome (nothing applied). */
  replayOf: number | null;
}

/** An uploaded product image or file (uploads.ts), served back at `/__uploads/{id}`. */
export interface StoredUpload {
  id: string;
  kind: 'image' | 'file';
  appKey: string;
  name: string;
  contentType: string;
  bytes: Buffer;
  format: string;
  useCase: string | null;
  /** What the API returned to name it: the image `uri` or the file `id`. */
  reference: string;
  width: number | null;
  height: number | null;
  createTime: number;
}

/** The first outcome of a request carrying an idempotency key (openApi.ts). */
export interface IdempotentOutcome {
  /** `METHOD /concrete/path` of the first request. */
  request: string;
  seq: number;
  code: number;
  message: string;
  data: unknown;
}

/** Deterministic PRNG (mulberry32) so runs with the same seed behave alike. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class EmulatorState {
  readonly apps = new Map<string, AppConfig>();
  readonly sellers = new Map<string, Seller>();
  readonly shops = new Map<string, Shop>();
  readonly warehouses = new Map<string, Warehouse>();
  readonly products = new Map<string, Product>();
  readonly skus = new Map<string, Sku>();
  readonly orders = new Map<string, Order>();
  readonly packages = new Map<string, Package>();
  readonly cancellations = new Map<string, Cancellation>();
  readonly returns = new Map<string, ReturnRequest>();
  readonly authCodes = new Map<string, AuthCode>();
  readonly tokensByAccess = new Map<string, TokenPair>();
  readonly tokensByRefresh = new Map<string, TokenPair>();
  readonly webhookSubscriptions = new Map<string, WebhookSubscription>();
  readonly mutations: MutationRecord[] = [];
  readonly uploads = new Map<string, StoredUpload>();
  /** Keyed by `app_key|shop_id|idempotency_key` (the pages ask for keys unique within the shop). */
  readonly idempotency = new Map<string, IdempotentOutcome>();
  /** orders refused at placement (out of stock, inactive product), for benchmarks */
  readonly refusedOrders: { at: number; shopId: string; reason: string; skuIds: string[] }[] = [];
  /** Affiliate orders, collaborations and marketplace creators (affiliate.ts). */
  readonly affiliate = new AffiliateState();
  /** Category permissions, applications and their scripted outcomes (categories.ts). */
  readonly categories = new CategoryState();
  /** Settlements, FBT warehouses and inventory records behind the Finance and FBT APIs (taxFinance.ts). */
  readonly taxFinance = new TaxFinanceState();
  rng: () => number;
  private idCounter = 0;

  constructor(
    seed: number,
    readonly rulesRef: BusinessRules,
  ) {
    this.rng = createRng(seed);
  }

  /** A new 18-digit string id (ref §1: all ids are strings of digits). */
  newId(prefix = '57'): string {
    this.idCounter++;
    const body = String(Date.now() % 1e9).padStart(9, '0') + String(this.idCounter).padStart(7, '0');
    return (prefix + body).slice(0, 18).padEnd(18, '0');
  }

  randomToken(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.rng() * alphabet.length)];
    return s;
  }

  shopByCipher(cipher: string): Shop | undefined {
    for (const s of this.shops.values()) if (s.cipher === cipher) return s;
    return undefined;
  }

  /** Apps authorized for a shop; webhooks for the shop are sent to each of them. */
  appsForShop(shopId: string): AppConfig[] {
    const shop = this.shops.get(shopId);
    if (!shop) return [];
    return shop.authorizedAppKeys.map((k) => this.apps.get(k)).filter((a): a is AppConfig => a !== undefined);
  }

  clear(): void {
    this.sellers.clear();
    this.shops.clear();
    this.warehouses.clear();
    this.products.clear();
    this.skus.clear();
    this.orders.clear();
    this.packages.clear();
    this.cancellations.clear();
    this.returns.clear();
    this.authCodes.clear();
    this.tokensByAccess.clear();
    this.tokensByRefresh.clear();
    this.webhookSubscriptions.clear();
    this.mutations.length = 0;
    this.uploads.clear();
    this.idempotency.clear();
    this.refusedOrders.length = 0;
    this.affiliate.clear();
    this.categories.clear();
    this.taxFinance.clear();
  }
}
