import type { PolicyRow } from './table';

/** Regions this product runs shops for. TikTok reports `region` as ISO-3166 alpha-2 (Get Authorized Shops, https://partner.tiktokshop.com/docv2/page/6507ead7b99d5302be949ba9). */
export const SUPPORTED_REGIONS = ['US'] as const;
export type Region = (typeof SUPPORTED_REGIONS)[number];

export const REGION_ROWS: PolicyRow[] = [
  {
    region: 'US',
    key: 'region.timezone',
    // The dispatch cut-off is 11:59 PM Pacific (seller-us.tiktok.com "What is the fulfillment requirement (SLA) for shipping orders?").
    value: 'America/Los_Angeles',
    effectiveFrom: '2023-09-01',
    source:
      'seller-us.tiktok.com "What is the fulfillment requirement (SLA) for shipping orders?" (dispatch cut-off 11:59 PM PST)',
  },
  {
    region: 'US',
    key: 'region.currency',
    value: 'USD',
    effectiveFrom: '2023-09-01',
    source: 'Get Order Detail payment.currency, https://partner.tiktokshop.com/docv2/page/6894134ba28e5204961601a5',
  },
];
