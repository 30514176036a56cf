// In-memory affiliate data of the emulated platform (issue 21): marketplace creators with their last-30-days
// performance, open and target collaborations with their rate history, and affiliate orders. Kept apart from
// state.ts so the affiliate handlers (affiliate.ts) own their shapes; EmulatorState holds one instance.

/** Get Marketplace Creator Performance figures (money as decimal strings, rates in hundredths of a percent). */
export interface CreatorPerformanceFigures {
  currency: string;
  gmv: string;
  videoGmv: string;
  liveGmv: string;
  /** GMV per 1,000 views */
  gpm: string;
  videoGpm: string;
  unitsSold: number;
  ecVideoCount: number;
  avgEcVideoPlayCount: number;
  avgCommissionRate: number;
}

export interface MarketplaceCreator {
  openId: string;
  username: string;
  nickname: string;
  region: string;
  followerCount: number;
  performance: CreatorPerformanceFigures;
}

/** A rate from `fromMs` on (the history is how the emulator answers "the current rate" at any business time). */
export interface RateStep {
  rate: number;
  shopAdsRate: number | null;
  fromMs: number;
}

export interface OpenCollaborationRecord {
  id: string;
  shopId: string;
  productId: string;
  productTitle: string;
  createTime: number;
  /** Open collaborations have no rate update: one step. */
  rate: RateStep;
  /** creator open id → when the seller removed them */
  removedCreators: Map<string, number>;
}

export interface TargetCollaborationRecord {
  id: string;
  shopId: string;
  name: string;
  startTime: number;
  endTime: number;
  updateTime: number;
  email: string;
  freeSample: { hasFreeSample: boolean; isSampleApprovalExempt: boolean };
  /** product id → its rate history (oldest first); a product taken out of the plan is deleted from the map. */
  products: Map<string, RateStep[]>;
  /** creator open id → status in the plan */
  creators: Map<string, 'NORMAL' | 'DELETED'>;
  /** Remove Target Collaboration was called. */
  cancelledAt: number | null;
}

/** One entry of an affiliate order's skus[], in the API's field names and units (money as decimal strings). */
export interface AffiliateOrderSkuRecord {
  product_id: string;
  quantity: number;
  price: { amount: string; currency: string };
  open_collaboration_id?: string;
  target_collaboration_id?: string;
  campaign_id?: string;
  creator_username?: string;
  content_type?: string;
  content_id?: string;
  commission_model: string;
  commission_rate: string;
  shop_ads_commission_rate?: string;
  estimated_commission_base: { amount: string; currency: string };
  estimated_paid_commission: { amount: string; currency: string };
  estimated_paid_shop_ads_commission: { amount: string; currency: string };
  actual_commission_base: { amount: string; currency: string };
  actual_paid_commission: { amount: string; currency: string };
  actual_paid_shop_ads_commission: { amount: string; currency: string };
  refunded_quantity: number;
  returned_quantity: number;
}

export interface AffiliateOrderRecord {
  id: string;
  shopId: string;
  /** PROCESSING | COMPLETED | CANCELLED | FROZEN | DEDUCTED */
  status: string;
  createTime: number;
  deliveryTime: number | null;
  skus: AffiliateOrderSkuRecord[];
}

/** A video promoting the shop's products (Get Shop Video Performance List), with its totals. */
export interface ShopVideoRecord {
  id: string;
  shopId: string;
  title: string;
  username: string;
  /** AFFILIATES or LINKED_ACCOUNTS (the page's account_type filter) */
  accountType: 'AFFILIATES' | 'LINKED_ACCOUNTS';
  postTime: number;
  gmvCents: number;
  currency: string;
  skuOrders: number;
  unitsSold: number;
  views: number;
  productIds: string[];
}

export class AffiliateState {
  readonly creators = new Map<string, MarketplaceCreator>();
  readonly openCollaborations = new Map<string, OpenCollaborationRecord>();
  readonly targetCollaborations = new Map<string, TargetCollaborationRecord>();
  readonly orders = new Map<string, AffiliateOrderRecord>();
  readonly videos = new Map<string, ShopVideoRecord>();
  /** shop id → Edit Open Collaboration Settings `auto_add_product` */
  readonly openSettings = new Map<string, { enable: boolean; commissionRate: number }>();

  clear(): void {
    this.creators.clear();
    this.openCollaborations.clear();
    this.targetCollaborations.clear();
    this.orders.clear();
    this.videos.clear();
    this.openSettings.clear();
  }
}

/** The step in effect at `atMs` (the first one if none started yet). */
export function rateAt(steps: RateStep[], atMs: number): RateStep {
  let current = steps[0]!;
  for (const s of steps) if (s.fromMs <= atMs) current = s;
  return current;
}
