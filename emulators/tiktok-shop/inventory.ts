// Products and platform inventory. ref §7.1–§7.2 (Update Inventory, Inventory Search,
// Activate/Deactivate, Search/Get Product) and §14.7.
import type { ApiError } from './envelope';
import { coded } from './errorCodes';
import type { Platform } from './platform';
import { AdminError, sec } from './platform';
import type { LineItem, Product, ProductStatus, Sku, StockLevel } from './state';
import type { Json } from './util';
import { asObject, asStringArray, inRange, optNumber, optString, paginate, paramError } from './util';
import { auditResult, categoryChain, placeInCategory } from './categories';

export interface SeedProductInput {
  id?: string;
  title?: string;
  status?: ProductStatus;
  /** A leaf of the category catalog (categories.ts); a product in a restricted category waits PRE_APPROVED. */
  category_id?: string;
  skus: {
    id?: string;
    seller_sku?: string;
    name?: string;
    price?: string;
    currency?: string;
    inventory?: { warehouse_id?: string; quantity: number }[];
  }[];
}

export function seedProduct(p: Platform, shopId: string, input: SeedProductInput): Product {
  const shop = p.state.shops.get(shopId);
  if (!shop) throw new AdminError(404, `unknown shop ${shopId}`);
  const defaultWh = [...p.state.warehouses.values()].find(
    (w) => w.shopId === shopId && w.type === 'SALES_WAREHOUSE' && w.isDefault,
  );
  const now = p.clock.now();
  const product: Product = {
    id: input.id ?? p.state.newId('17'),
    shopId,
    title: input.title ?? 'Emulated product',
    status: input.status ?? 'ACTIVATE',
    auditStatus: 'APPROVED',
    auditDueAt: null,
    createTime: now,
    updateTime: now,
    skus: [],
    categoryId: input.category_id ?? null,
    description: null,
    mainImageUris: [],
    certifications: [],
    preApprovedReasons: [],
    auditFailedReasons: [],
  };
  if (product.categoryId !== null) placeInCategory(p, product);
  if (p.state.products.has(product.id)) throw new AdminError(409, `product ${product.id} already exists`);
  for (const s of input.skus) {
    const sku: Sku = {
      id: s.id ?? p.state.newId('17'),
      productId: product.id,
      sellerSku: s.seller_sku ?? `SKU-${product.skus.length + 1}`,
      name: s.name ?? 'Default',
      price: { amount: s.price ?? '10.00', currency: s.currency ?? 'USD' },
      inventory: new Map(),
    };
    const inv = s.inventory ?? (defaultWh ? [{ warehouse_id: defaultWh.id, quantity: 0 }] : []);
    for (const i of inv) {
      const wid = i.warehouse_id ?? defaultWh?.id;
      if (!wid || !p.state.warehouses.has(wid)) throw new AdminError(400, `unknown warehouse ${String(wid)}`);
      sku.inventory.set(wid, { available: i.quantity, committed: 0 });
    }
    product.skus.push(sku);
    p.state.skus.set(sku.id, sku);
  }
  p.state.products.set(product.id, product);
  p.webhooks.emit(shopId, 'PRODUCT_CREATION', {
    product_id: product.id,
    product_types: [],
    update_time: p.clock.nowSeconds(),
  });
  return product;
}

function totals(sku: Sku): StockLevel {
  let available = 0;
  let committed = 0;
  for (const l of sku.inventory.values()) {
    available += l.available;
    committed += l.committed;
  }
  return { available, committed };
}

export function stockStatus(p: Platform, sku: Sku): 'SUFFICIENT_STOCK' | 'LOW_STOCK' | 'OUT_OF_STOCK' {
  const { available } = totals(sku);
  if (available <= 0) return 'OUT_OF_STOCK';
  return available <= p.clock.rules.lowStockThreshold ? 'LOW_STOCK' : 'SUFFICIENT_STOCK';
}

/** Runs a stock change and sends webhook 27 when the SKU's stock status changes (ref §11.4 type 27). */
export function withStockChange(p: Platform, sku: Sku, change: () => void): void {
  const before = stockStatus(p, sku);
  change();
  const after = stockStatus(p, sku);
  if (before === after) return;
  const product = p.state.products.get(sku.productId);
  if (!product) return;
  const t = totals(sku);
  p.webhooks.emit(product.shopId, 'INVENTORY_STATUS_CHANGE', {
    product_id: product.id,
    sku_id: sku.id,
    trigger_reason: { alert_type: 'REALTIME', low_stock_threshold: p.clock.rules.lowStockThreshold },
    current_inventory_status: after,
    inventory_distribution: {
      total_quantity: t.available + t.committed,
      available_quantity: t.available,
      creator_reserved_quantity: 0,
      campaign_reserved_quantity: 0,
      committed_quantity: t.committed,
    },
    update_time: p.clock.nowSeconds(),
  });
}

/**
 * Takes `quantity` units of a SKU for a new order: each unit comes from the first warehouse (preferred one
 * first) that still has stock. Returns the warehouse of every unit, or null when stock is insufficient.
 */
export function reserveUnits(p: Platform, sku: Sku, quantity: number, preferred?: string): string[] | null {
  if (totals(sku).available < quantity) return null;
  const order = [...sku.inventory.keys()].sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0));
  const out: string[] = [];
  withStockChange(p, sku, () => {
    for (const wid of order) {
      const lvl = sku.inventory.get(wid);
      while (lvl && lvl.available > 0 && out.length < quantity) {
        lvl.available--;
        lvl.committed++;
        out.push(wid);
      }
    }
  });
  return out;
}

/** A cancelled unit returns to stock (rules.restockOnCancel) or is just uncommitted. */
export function releaseUnit(p: Platform, li: LineItem): void {
  const sku = p.state.skus.get(li.skuId);
  const lvl = sku?.inventory.get(li.warehouseId);
  if (!sku || !lvl) return;
  withStockChange(p, sku, () => {
    lvl.committed = Math.max(0, lvl.committed - 1);
    if (p.clock.rules.restockOnCancel) lvl.available++;
  });
}

/** A shipped unit leaves the committed quantity. */
export function shipUnit(p: Platform, li: LineItem): void {
  const lvl = p.state.skus.get(li.skuId)?.inventory.get(li.warehouseId);
  if (lvl) lvl.committed = Math.max(0, lvl.committed - 1);
}

function productNotFound(): ApiError {
  return coded('product_not_found', 'The product does not exist');
}

export function ownProduct(p: Platform, shopId: string, productId: string): Product {
  const product = p.state.products.get(productId);
  if (!product || product.shopId !== shopId || product.status === 'DELETED') throw productNotFound();
  return product;
}

function skuJson(sku: Sku): Json {
  return {
    id: sku.id,
    seller_sku: sku.sellerSku,
    price: { tax_exclusive_price: sku.price.amount, sale_price: sku.price.amount, currency: sku.price.currency },
    inventory: [...sku.inventory.entries()].map(([warehouse_id, l]) => ({ warehouse_id, quantity: l.available })),
    sales_attributes: [{ id: '100000', name: 'Variant', value_id: sku.id.slice(-6), value_name: sku.name }],
  };
}

export function productJson(product: Product): Json {
  return {
    id: product.id,
    status: product.status,
    title: product.title,
    description: product.description ?? `<p>${product.title}</p>`,
    category_chains: categoryChain(product.categoryId),
    main_images: product.mainImageUris.map((uri) => ({ uri })),
    skus: product.skus.map(skuJson),
    certifications: product.certifications.map((c) => ({
      id: c.id,
      images: c.images.map((uri) => ({ uri })),
      files: c.files,
      ...(c.expirationDate === null ? {} : { expiration_date: c.expirationDate }),
    })),
    audit: { status: product.auditStatus, pre_approved_reasons: product.preApprovedReasons },
    audit_failed_reasons:
      product.auditFailedReasons.length > 0
        ? [{ position: 'certifications', reasons: product.auditFailedReasons, suggestions: [] }]
        : [],
    create_time: sec(product.createTime),
    update_time: sec(product.updateTime),
    product_types: [],
    is_cod_allowed: false,
  };
}

/** POST /product/202309/products/search (and 202502). Products use `*_le` bounds (ref §7.2). */
export function searchProducts(p: Platform, shopId: string, query: Record<string, string>, body: Json): Json {
  const status = optString(body.status);
  const sellerSkus = asStringArray(body.seller_skus);
  const skuIds = asStringArray(body.sku_ids);
  const items = [...p.state.products.values()]
    .filter((x) => x.shopId === shopId)
    .filter((x) => (status && status !== 'ALL' ? x.status === status : x.status !== 'DELETED'))
    .filter((x) => sellerSkus.length === 0 || x.skus.some((s) => sellerSkus.includes(s.sellerSku)))
    .filter((x) => skuIds.length === 0 || x.skus.some((s) => skuIds.includes(s.id)))
    .filter((x) => inRange(x.createTime, body, 'create_time') && inRange(x.updateTime, body, 'update_time'))
    .sort((a, b) => b.createTime - a.createTime);
  const { page, next_page_token, total_count } = paginate(items, query, { min: 1, max: 100 });
  return {
    total_count,
    next_page_token,
    products: page.map((x) => ({
      id: x.id,
      title: x.title,
      status: x.status,
      skus: x.skus.map(skuJson),
      sales_regions: ['US'],
      create_time: sec(x.createTime),
      update_time: sec(x.updateTime),
    })),
  };
}

export function getProduct(p: Platform, shopId: string, productId: string): Json {
  return productJson(ownProduct(p, shopId, productId));
}

/**
 * POST /product/202309/products/{product_id}/inventory/update. ref §7.2: every SKU must belong to the product,
 * the product must be ACTIVATE, each SKU must list all of its warehouses (warehouse_id may be omitted only
 * for a single-warehouse SKU), quantity in [1, 99999] (0 admitted when rules.allowZeroInventory). Failures are
 * reported per SKU in `data.errors[]` inside a code-0 envelope; valid SKUs are still updated.
 */
export function updateInventory(p: Platform, shopId: string, productId: string, body: Json, skuIdsOut: string[]): Json {
  const product = ownProduct(p, shopId, productId);
  if (product.status !== 'ACTIVATE') {
    throw coded(
      'product_status_forbids',
      'The product in its current status is not available for this operation. Change the product status and try again.',
    );
  }
  if (!Array.isArray(body.skus)) throw paramError('param body.skus is missing');
  if (body.skus.length === 0) {
    throw coded(
      'sku_list_empty',
      'The SKU list is empty. Either omit the list entirely, or provide all required details.',
    );
  }
  // Per-item codes below: every one is listed on https://partner.tiktokshop.com/docv2/page/update-inventory-202309
  const errors: Json[] = [];
  const seen = new Set<string>();
  const min = p.clock.rules.allowZeroInventory ? 0 : 1;
  for (const raw of body.skus) {
    const entry = asObject(raw);
    const skuId = optString(entry.id);
    if (!skuId) {
      errors.push({ code: 12052036, message: 'The SKU ID is necessary', detail: { sku_id: '' } });
      continue;
    }
    skuIdsOut.push(skuId);
    const sku = product.skus.find((s) => s.id === skuId);
    if (!sku) {
      errors.push({ code: 12052556, message: 'The SKU id not exist.', detail: { sku_id: skuId } });
      continue;
    }
    if (seen.has(skuId)) {
      errors.push({ code: 12052553, message: 'Sku id duplicate', detail: { sku_id: skuId } });
      continue;
    }
    seen.add(skuId);
    const inv = Array.isArray(entry.inventory) ? entry.inventory.map(asObject) : [];
    const extra: Json[] = [];
    const updates = new Map<string, number>();
    const assigned = [...sku.inventory.keys()];
    for (const i of inv) {
      let wid = optString(i.warehouse_id);
      if (wid === undefined && assigned.length === 1) wid = assigned[0];
      const qty = optNumber(i.quantity);
      if (wid === undefined) {
        extra.push({
          warehouse_id: '',
          code: 12019028,
          message:
            'Multiple warehouses detected. Include all warehouse IDs and the corresponding details and try again.',
        });
        continue;
      }
      if (!p.state.warehouses.has(wid) || p.state.warehouses.get(wid)?.shopId !== shopId) {
        extra.push({ warehouse_id: wid, code: 12052097, message: 'The warehouse does not exist' });
        continue;
      }
      if (!sku.inventory.has(wid)) {
        extra.push({
          warehouse_id: wid,
          code: 12052533,
          message:
            'Removal, addition, and change of warehouses are not permitted. Please specify the original warehouses for the SKUs.',
        });
        continue;
      }
      if (qty === undefined || !Number.isInteger(qty) || qty < min || qty > p.clock.rules.maxInventoryQuantity) {
        extra.push({
          warehouse_id: wid,
          code: 12052055,
          message: 'The SKU inventory quantity for the warehouse must be within allowed limits.',
        });
        continue;
      }
      updates.set(wid, qty);
    }
    const missing = assigned.filter((w) => !updates.has(w) && !extra.some((e) => e.warehouse_id === w));
    for (const w of missing) {
      extra.push({
        warehouse_id: w,
        code: 12052037,
        message:
          "Couldn't update inventory. Missing warehouse IDs (all warehouses that stock the product must be included)",
      });
    }
    if (extra.length > 0) {
      errors.push({ code: 12052990, message: 'Check failed', detail: { sku_id: skuId, extra_errors: extra } });
      continue;
    }
    withStockChange(p, sku, () => {
      for (const [wid, qty] of updates) {
        const lvl = sku.inventory.get(wid);
        if (lvl) lvl.available = qty;
      }
    });
  }
  product.updateTime = p.clock.now();
  return errors.length > 0 ? { errors } : {};
}

/** POST /product/202309/inventory/search: `sku_ids` (≤600) wins over `product_ids` (≤100) (ref §7.2). */
export function inventorySearch(p: Platform, shopId: string, body: Json): Json {
  const skuIds = asStringArray(body.sku_ids);
  const productIds = asStringArray(body.product_ids);
  if (skuIds.length === 0 && productIds.length === 0)
    throw paramError('param body.product_ids or body.sku_ids is missing');
  if (skuIds.length > 600 || productIds.length > 100) throw paramError('too many ids');
  const byProduct = new Map<string, Sku[]>();
  if (skuIds.length > 0) {
    for (const id of skuIds) {
      const sku = p.state.skus.get(id);
      const product = sku ? p.state.products.get(sku.productId) : undefined;
      if (!sku || !product || product.shopId !== shopId) continue;
      byProduct.set(product.id, [...(byProduct.get(product.id) ?? []), sku]);
    }
  } else {
    for (const id of productIds) {
      const product = p.state.products.get(id);
      if (product && product.shopId === shopId) byProduct.set(id, product.skus);
    }
  }
  return {
    inventory: [...byProduct.entries()].map(([product_id, skus]) => ({
      product_id,
      skus: skus.map((s) => {
        const t = totals(s);
        return {
          id: s.id,
          seller_sku: s.sellerSku,
          total_available_quantity: t.available,
          total_committed_quantity: t.committed,
          warehouse_inventory: [...s.inventory.entries()].map(([warehouse_id, l]) => ({
            warehouse_id,
            available_quantity: l.available,
            committed_quantity: l.committed,
          })),
          total_available_inventory_distribution: {
            campaign_inventory: [],
            creator_inventory: [],
            in_shop_inventory: { quantity: t.available },
          },
        };
      }),
    })),
  };
}

export function setProductStatus(p: Platform, product: Product, status: ProductStatus, at: number): void {
  product.status = status;
  product.updateTime = at;
  // Type 5 reports that the status changed (ref §11.4); the new value is read through Get Product.
  p.webhooks.emit(product.shopId, 'PRODUCT_STATUS_CHANGE', {
    product_id: product.id,
    status: 'PRODUCT_STATUS_CHANGED',
    suspended_reason: '',
    update_time: sec(at),
  });
}

/**
 * Sets the audit status and sends webhook 37 (ref §11.4): `pre_approved_reasons` (RESTRICTED_CATEGORY_PENDING) with
 * PRE_APPROVED, the failure reasons kept for Get Product's `audit_failed_reasons` with FAILED.
 */
export function setAudit(
  p: Platform,
  product: Product,
  audit: Product['auditStatus'],
  at: number,
  reasons: string[] = [],
): void {
  product.auditStatus = audit;
  product.preApprovedReasons = audit === 'PRE_APPROVED' ? reasons : [];
  if (audit === 'FAILED') product.auditFailedReasons = reasons;
  if (audit === 'APPROVED') product.auditFailedReasons = [];
  p.webhooks.emit(product.shopId, 'PRODUCT_AUDIT_STATUS_CHANGE', {
    product_id: product.id,
    audit: { status: audit, pre_approved_reasons: product.preApprovedReasons },
    update_time: sec(at),
  });
}

function batchIds(body: Json): string[] {
  const ids = asStringArray(body.product_ids);
  if (ids.length === 0) throw paramError('param body.product_ids is missing');
  if (ids.length > 20) throw paramError('param body.product_ids must have at most 20 entries');
  return ids;
}

/**
 * POST /product/202309/products/activate: SELLER_/PLATFORM_DEACTIVATED → PENDING (audit) → ACTIVATE (ref §7.2).
 * With rules.reauditOnActivate=false the product becomes ACTIVATE at once.
 */
export function activateProducts(p: Platform, shopId: string, body: Json, idsOut: string[]): Json {
  const errors: Json[] = [];
  const now = p.clock.now();
  for (const id of batchIds(body)) {
    idsOut.push(id);
    const product = p.state.products.get(id);
    if (!product || product.shopId !== shopId || product.status === 'DELETED') {
      const code = p.errors.code('activate_product_not_found');
      errors.push({ code, message: 'The product does not exist', detail: { product_id: id } });
      continue;
    }
    if (product.status !== 'SELLER_DEACTIVATED' && product.status !== 'PLATFORM_DEACTIVATED') {
      errors.push({
        code: 12052901,
        message: 'The product in its current status is not available for this operation.',
        detail: { product_id: id },
      });
      continue;
    }
    if (p.clock.rules.reauditOnActivate) {
      startAudit(p, product, now);
    } else {
      setProductStatus(p, product, 'ACTIVATE', now);
    }
  }
  return errors.length > 0 ? { errors } : {};
}

/** POST /product/202309/products/deactivate: ACTIVATE → SELLER_DEACTIVATED (ref §7.2). */
export function deactivateProducts(p: Platform, shopId: string, body: Json, idsOut: string[]): Json {
  const errors: Json[] = [];
  const now = p.clock.now();
  for (const id of batchIds(body)) {
    idsOut.push(id);
    const product = p.state.products.get(id);
    if (!product || product.shopId !== shopId || product.status === 'DELETED') {
      errors.push({ code: 12052032, message: 'The product does not exist', detail: { product_id: id } });
      continue;
    }
    if (product.status !== 'ACTIVATE' && product.status !== 'PENDING') {
      errors.push({
        code: 12052901,
        message: 'The product in its current status is not available for this operation.',
        detail: { product_id: id },
      });
      continue;
    }
    product.auditDueAt = null;
    setProductStatus(p, product, 'SELLER_DEACTIVATED', now);
  }
  return errors.length > 0 ? { errors } : {};
}

/** PENDING under audit; ACTIVATE when the audit completes after rules.auditDurationMs (onAuditDone). */
export function startAudit(p: Platform, product: Product, now: number): void {
  setProductStatus(p, product, 'PENDING', now);
  setAudit(p, product, 'AUDITING', now);
  product.auditDueAt = now + p.clock.rules.auditDurationMs;
  p.scheduler.schedule('audit_done', product.id, product.auditDueAt);
}

/** Scheduler: the audit of a new or re-activated product completes. */
export function onAuditDone(p: Platform, productId: string, at: number): void {
  const product = p.state.products.get(productId);
  if (!product || product.status !== 'PENDING' || product.auditDueAt === null || product.auditDueAt > at) return;
  product.auditDueAt = null;
  // A product in a category still waiting for the shop's approval passes the audit but is not listed yet.
  const result = auditResult(p, product);
  setAudit(p, product, result.status, at, result.reasons);
  if (result.status === 'APPROVED') setProductStatus(p, product, 'ACTIVATE', at);
}
