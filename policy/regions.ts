import type { PolicyRow } from './table';

/** Regions this product runs shops for. TikTok reports `region` as ISO-3166 alpha-2 (tiktok-shop-api.md §3.3). */
export const SUPPORTED_REGIONS = ['US'] as const;
export type Region = (typeof SUPPORTED_REGIONS)[number];

export const REGION_ROWS: PolicyRow[] = [
  {
    region: 'US',
    key: 'region.timezone',
    // The dispatch cut-off is 11:59 PM Pacific (tiktok-shop-policies-and-peers.md §2.3).
    value: 'America/Los_Angeles',
    effectiveFrom: '2023-09-01',
    source: 'tiktok-shop-policies-and-peers.md §2.3 (seller-us dispatch SLA)',
  },
  {
    region: 'US',
    key: 'region.currency',
    value: 'USD',
    effectiveFrom: '2023-09-01',
    source: 'tiktok-shop-api.md §5.2 (payment.currency)',
  },
];
