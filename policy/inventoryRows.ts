/**
 * Inventory feed rules as sourced rows (the Partner API's product pages, docs/tiktok-shop-api-sources.md §7 and §15;
 * what channel connectors publish about their own feeds).
 * The inventory feed workflow reads them through an activity (activities/inventoryFeed/snapshot.ts), so the values a
 * push used are in its history. Product defaults (not platform rules) say so in their source.
 */
import type { PolicyRow } from './table';

const UNDATED = '2023-09-01';
const UPDATE_INVENTORY = `Update Inventory, https://partner.tiktokshop.com/docv2/page/6503068fc20ad60284b38858`;

export const INVENTORY_ROWS: PolicyRow[] = [
  {
    // The spec documents quantity in [1, 99 999]; no source confirms whether 0 is accepted, and
    // sellers set stock to 0 in practice. true: a sold-out SKU is pushed as 0. false: the product is deactivated
    // instead (re-activation goes through audit again: Activate Product). The workflow also falls back to deactivation when
    // TikTok refuses a 0 at run time (per-SKU error 12052055), whatever this row says.
    region: 'US',
    key: 'inventory.zeroQuantityAccepted',
    value: true,
    effectiveFrom: UNDATED,
    source: `${UPDATE_INVENTORY}: documented range [1, 99,999]; whether 0 is accepted is unconfirmed (docs/tiktok-shop-api-sources.md §15): 0 accepted in practice`,
    uncertain: true,
  },
  {
    // Product default: quantity 0 already takes a variant off sale without the re-audit a re-activation costs.
    region: 'US',
    key: 'inventory.deactivateWhenAllVariantsOut',
    value: false,
    effectiveFrom: UNDATED,
    source: `product default (not a platform rule): Activate Product, https://partner.tiktokshop.com/docv2/page/650306ff5a12ff0294eab4a9 (SELLER_DEACTIVATED → PENDING audit → ACTIVATE) makes deactivation costly to undo; sold-out variants leave the feed by quantity 0 or Deactivate Products, https://partner.tiktokshop.com/docv2/page/6509de450fcef602bf1d087c`,
  },
  {
    // Product default: units held back from TikTok per SKU, against counting lag between the warehouse and TikTok.
    // A catalog row's safety_buffer overrides it.
    region: 'US',
    key: 'inventory.defaultSafetyBuffer',
    value: 2,
    effectiveFrom: UNDATED,
    source:
      'product default (not a platform rule): oversell guard; peers use buffers too (CedCommerce "inventory policies with buffer", AfterShip Feed out-of-stock threshold rules, Pipe17 "1-hour buffer", in their TikTok Shop guides)',
  },
  {
    region: 'US',
    key: 'inventory.maxQuantity',
    value: 99_999,
    effectiveFrom: UNDATED,
    source: `${UPDATE_INVENTORY}: quantity range [1, 99,999] (upper bound)`,
  },
];
