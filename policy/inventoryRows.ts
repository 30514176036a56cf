/**
 * Inventory feed rules as sourced rows (tiktok-shop-api.md §7.1-§7.2, §15; tiktok-shop-policies-and-peers.md §1).
 * The inventory feed workflow reads them through an activity (activities/inventory.ts), so the values a push used are
 * in its history. Product defaults (not platform rules) say so in their source.
 */
import type { PolicyRow } from './table';

const UNDATED = '2023-09-01';
const UPDATE_INVENTORY = 'tiktok-shop-api.md §7.2 Update Inventory (DOC update-inventory.spec.json)';

export const INVENTORY_ROWS: PolicyRow[] = [
  {
    // The spec documents quantity in [1, 99 999]; the reference's §15 marks "is 0 accepted?" as unconfirmed, and
    // sellers set stock to 0 in practice. true: a sold-out SKU is pushed as 0. false: the product is deactivated
    // instead (re-activation goes through audit again, §7.2). The workflow also falls back to deactivation when
    // TikTok refuses a 0 at run time (per-SKU error 12052055), whatever this row says.
    region: 'US',
    key: 'inventory.zeroQuantityAccepted',
    value: true,
    effectiveFrom: UNDATED,
    source: `${UPDATE_INVENTORY}: documented range [1, 99,999]; tiktok-shop-api.md §15 "Update Inventory quantity range" [UNCERTAIN]: 0 accepted in practice`,
    uncertain: true,
  },
  {
    // Product default: quantity 0 already takes a variant off sale without the re-audit a re-activation costs.
    region: 'US',
    key: 'inventory.deactivateWhenAllVariantsOut',
    value: false,
    effectiveFrom: UNDATED,
    source:
      'product default (not a platform rule): tiktok-shop-api.md §7.2 Activate Product (SELLER_DEACTIVATED → PENDING audit → ACTIVATE) makes deactivation costly to undo; tiktok-shop-policies-and-peers.md §1 "Sold-out variant delisting: set qty 0 or Deactivate Products API; edits may re-enter audit"',
  },
  {
    // Product default: units held back from TikTok per SKU, against counting lag between the warehouse and TikTok.
    // A catalog row's safety_buffer overrides it.
    region: 'US',
    key: 'inventory.defaultSafetyBuffer',
    value: 2,
    effectiveFrom: UNDATED,
    source:
      'product default (not a platform rule): oversell guard; peers use buffers too (tiktok-shop-policies-and-peers.md §1: CedCommerce "inventory policies with buffer", AfterShip Feed OOS-threshold rules, Pipe17 "1-hour buffer")',
  },
  {
    region: 'US',
    key: 'inventory.maxQuantity',
    value: 99_999,
    effectiveFrom: UNDATED,
    source: `${UPDATE_INVENTORY}: quantity range [1, 99,999] (upper bound)`,
  },
];
