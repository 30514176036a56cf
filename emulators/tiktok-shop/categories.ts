// Categories, category rules, listing prerequisites, Partial Edit Product and the category qualification that
// TikTok's reviewers decide (issue 19). Pages:
// https://partner.tiktokshop.com/docv2/page/get-categories-202309 (`permission_statuses`: AVAILABLE, INVITE_ONLY =
//   restricted, apply in the Qualification Center; NON_MAIN_CATEGORY; PROHIBITED; US shops must pass
//   category_version=v2, 12052217)
// https://partner.tiktokshop.com/docv2/page/get-category-rules-202309 (`product_certifications[]`: id, name,
//   is_required, requirement_conditions, expiration_date.is_required; restricted 12052223 / 12052226)
// https://partner.tiktokshop.com/docv2/page/check-listing-prerequisites-202312 (`check_results[]`)
// https://partner.tiktokshop.com/docv2/page/partial-edit-product-202509 ("updates are handled per top-level property";
//   the edit is audited again, the live version stays until it passes; 12052105 required qualification missing,
//   12052655 qualification id not exist, 12052656 duplicated, 12052385 expiration date)
// Webhook 37 (ref §11.4): PRE_APPROVED with `RESTRICTED_CATEGORY_PENDING` while the category's approval is pending
//   (US), then APPROVED or FAILED.
// The Qualification Center has no API: the admin API submits an application and decides it, each decision taking the
// next outcome of the shop and category's script (`['rejected:missing COA lot', 'approved']`). The category tree
// below is the emulator's own (TikTok publishes no US v2 tree); its ids are made up.
import type { ApiError } from './envelope';
import { coded } from './errorCodes';
import { ownProduct, setAudit, setProductStatus } from './inventory';
import type { Platform } from './platform';
import { AdminError, sec } from './platform';
import type { CategoryApplication, CategoryPermission } from './categoryState';
import type { Product, ProductCertification } from './state';
import type { Json } from './util';
import { asObject, optNumber, optString, paramError } from './util';

interface CertificationRule {
  id: string;
  name: string;
  isRequired: boolean;
  expiryRequired: boolean;
  /** When set (and not isRequired), the certification is required for products with this attribute value. */
  condition?: { attributeId: string; attributeValueId: string };
  details: string;
}

interface CatalogCategory {
  id: string;
  parentId: string;
  name: string;
  isLeaf: boolean;
  /** The permission every shop starts with. */
  permission: CategoryPermission;
  certifications: CertificationRule[];
}

const coa = (id: string): CertificationRule => ({
  id,
  name: 'Certificate of Analysis (COA)',
  isRequired: true,
  expiryRequired: true,
  details: 'A third-party lab report for the lot on sale, naming the product and the lot number.',
});

/** The emulator's category tree (a few branches of a US v2 tree); restricted leaves are INVITE_ONLY. */
export const CATEGORY_CATALOG: readonly CatalogCategory[] = [
  { id: '700437', parentId: '0', name: 'Health', isLeaf: false, permission: 'AVAILABLE', certifications: [] },
  {
    id: '700438',
    parentId: '700437',
    name: 'Food Supplements',
    isLeaf: false,
    permission: 'AVAILABLE',
    certifications: [],
  },
  {
    id: '700439',
    parentId: '700438',
    name: 'Vitamins & Minerals',
    isLeaf: true,
    permission: 'INVITE_ONLY',
    certifications: [
      coa('8200101'),
      {
        id: '8200102',
        name: 'FDA Food Facility Registration',
        isRequired: true,
        expiryRequired: false,
        details: "The manufacturer's FDA food facility registration number.",
      },
      {
        id: '8200103',
        name: 'Brand Authorization Letter',
        isRequired: false,
        expiryRequired: true,
        condition: { attributeId: '100198', attributeValueId: '1000592' },
        details: 'Required when the brand is not owned by the seller.',
      },
    ],
  },
  {
    id: '600101',
    parentId: '0',
    name: 'Beauty & Personal Care',
    isLeaf: false,
    permission: 'AVAILABLE',
    certifications: [],
  },
  { id: '600102', parentId: '600101', name: 'Skincare', isLeaf: false, permission: 'AVAILABLE', certifications: [] },
  {
    id: '600103',
    parentId: '600102',
    name: 'Face Serums',
    isLeaf: true,
    permission: 'INVITE_ONLY',
    certifications: [
      coa('8200201'),
      {
        id: '8200202',
        name: 'FDA Cosmetic Product Listing (MoCRA)',
        isRequired: true,
        expiryRequired: false,
        details: 'The MoCRA product listing number.',
      },
    ],
  },
  {
    id: '601001',
    parentId: '0',
    name: 'Phones & Electronics',
    isLeaf: false,
    permission: 'AVAILABLE',
    certifications: [],
  },
  {
    id: '601003',
    parentId: '601001',
    name: 'Power Banks',
    isLeaf: true,
    permission: 'INVITE_ONLY',
    certifications: [
      {
        id: '8200301',
        name: 'UL Certificate',
        isRequired: true,
        expiryRequired: true,
        details: 'UL 2056 / UL 62133 certificate naming the model.',
      },
      {
        id: '8200302',
        name: 'FCC Equipment Authorization',
        isRequired: false,
        expiryRequired: false,
        condition: { attributeId: '100410', attributeValueId: '1001337' },
        details: 'Required for wireless charging models.',
      },
    ],
  },
  { id: '602001', parentId: '0', name: 'Home Supplies', isLeaf: false, permission: 'AVAILABLE', certifications: [] },
  {
    id: '602002',
    parentId: '602001',
    name: 'Kitchen Storage',
    isLeaf: true,
    permission: 'AVAILABLE',
    certifications: [],
  },
];

const byId = new Map(CATEGORY_CATALOG.map((c) => [c.id, c]));

/** The root → leaf chain of a category, as Get Product's `category_chains` gives it. */
export function categoryChain(categoryId: string | null): Json[] {
  const chain: Json[] = [];
  let c = categoryId === null ? undefined : byId.get(categoryId);
  while (c) {
    chain.unshift({ id: c.id, parent_id: c.parentId, local_name: c.name, is_leaf: c.isLeaf });
    c = byId.get(c.parentId);
  }
  return chain;
}

export function permissionOf(p: Platform, shopId: string, categoryId: string): CategoryPermission {
  return p.state.categories.permission(shopId, categoryId) ?? byId.get(categoryId)?.permission ?? 'AVAILABLE';
}

const PENDING_REASON = 'RESTRICTED_CATEGORY_PENDING';

/** Whether the product's category still waits for the shop's approval (an application is under review). */
function categoryPending(p: Platform, product: Product): boolean {
  if (product.categoryId === null || permissionOf(p, product.shopId, product.categoryId) === 'AVAILABLE') return false;
  return p.state.categories.application(product.shopId, product.categoryId)?.status === 'PENDING';
}

/**
 * A product seeded in a restricted category: it passed the rest of the audit but waits for the category (PRE_APPROVED,
 * RESTRICTED_CATEGORY_PENDING) and is not live (PENDING) until the shop is approved.
 */
export function placeInCategory(p: Platform, product: Product): void {
  if (product.categoryId === null) return;
  if (!byId.has(product.categoryId)) throw new AdminError(400, `unknown category ${product.categoryId}`);
  if (permissionOf(p, product.shopId, product.categoryId) === 'AVAILABLE') return;
  product.status = 'PENDING';
  product.auditStatus = 'PRE_APPROVED';
  product.preApprovedReasons = [PENDING_REASON];
}

/** How an audit of the product ends now: APPROVED, or PRE_APPROVED while its category's approval is pending. */
export function auditResult(p: Platform, product: Product): { status: 'APPROVED' | 'PRE_APPROVED'; reasons: string[] } {
  return categoryPending(p, product)
    ? { status: 'PRE_APPROVED', reasons: [PENDING_REASON] }
    : { status: 'APPROVED', reasons: [] };
}

function versionChecked(p: Platform, shopId: string, query: Record<string, string>): void {
  const version = query.category_version ?? 'v1';
  const us = (p.state.shops.get(shopId)?.region ?? 'US') === 'US';
  if (version !== 'v1' && version !== 'v2') throw paramError('param category_version is invalid');
  if (us !== (version === 'v2')) {
    throw coded(
      'category_version_invalid',
      "Incorrect category version. For US shops or global sellers with an active US shop, specify 'category version=v2'. For shops in other regions specify 'category_version=v1'.",
    );
  }
}

/** GET /product/202309/categories: the tree with the shop's permission on each; `keyword` filters `local_name`. */
export function getCategories(p: Platform, shopId: string, query: Record<string, string>): Json {
  versionChecked(p, shopId, query);
  const keyword = query.keyword?.toLowerCase();
  return {
    categories: CATEGORY_CATALOG.filter((c) => !keyword || c.name.toLowerCase().includes(keyword)).map((c) => ({
      id: c.id,
      parent_id: c.parentId,
      local_name: c.name,
      is_leaf: c.isLeaf,
      permission_statuses: [permissionOf(p, shopId, c.id)],
    })),
  };
}

function restricted(p: Platform, shopId: string, categoryId: string): ApiError {
  const message =
    'This category is restricted. To sell in this category, apply through the Qualification Center in Seller Center.';
  return p.state.categories.application(shopId, categoryId)?.status === 'PENDING'
    ? coded('category_restricted_pending', message)
    : coded('category_restricted', message);
}

/** Create Product in a category of the tree: refused while restricted, unless an application is under review. */
export function categoryOpenFor(p: Platform, shopId: string, categoryId: string): void {
  const c = byId.get(categoryId);
  if (!c?.isLeaf) throw coded('category_not_leaf', 'Category is not final category');
  if (permissionOf(p, shopId, categoryId) === 'AVAILABLE') return;
  if (p.state.categories.application(shopId, categoryId)?.status !== 'PENDING') throw restricted(p, shopId, categoryId);
}

function leafFor(p: Platform, shopId: string, categoryId: string): CatalogCategory {
  const c = byId.get(categoryId);
  if (!c) throw coded('category_not_found', 'Category does not exist');
  if (!c.isLeaf) throw coded('category_not_leaf', 'Category is not final category');
  if (permissionOf(p, shopId, categoryId) !== 'AVAILABLE') throw restricted(p, shopId, categoryId);
  return c;
}

/** GET /product/202309/categories/{category_id}/rules: refused while restricted, the certifications once approved. */
export function getCategoryRules(p: Platform, shopId: string, categoryId: string, query: Record<string, string>): Json {
  versionChecked(p, shopId, query);
  const c = leafFor(p, shopId, categoryId);
  return {
    product_certifications: c.certifications.map((r) => ({
      id: r.id,
      name: r.name,
      is_required: r.isRequired,
      document_details: r.details,
      requirement_conditions: r.condition
        ? [
            {
              condition_type: 'VALUE_ID_MATCH',
              attribute_id: r.condition.attributeId,
              attribute_value_id: r.condition.attributeValueId,
            },
          ]
        : [],
      expiration_date: { is_required: r.expiryRequired },
    })),
    size_chart: { is_supported: false, is_required: false },
    cod: { is_supported: false },
    package_dimension: { is_required: true },
    epr: { is_required: false },
    responsible_person: { is_required: false },
    manufacturer: { is_required: false },
  };
}

const CHECK_ITEMS = [
  'SHOP_STATUS',
  'SHOP_TAX',
  'PICKUP_WAREHOUSE',
  'RETURN_WAREHOUSE',
  'DELIVERY_OPTION',
  'SHIPPING_TEMPLATE',
  'PRODUCT_QUANTITY_LIMIT',
  'EXTENDED_PRODUCER_RESPONSIBILITY',
  'BANk_ACCOUNT',
  'CONTACT_INFO',
] as const;

/**
 * GET /product/202312/prerequisites: PICKUP_WAREHOUSE / RETURN_WAREHOUSE fail when the shop has no such warehouse;
 * any item can be made to fail through POST /__admin/prerequisites.
 */
export function checkListingPrerequisites(p: Platform, shopId: string): Json {
  const warehouses = [...p.state.warehouses.values()].filter((w) => w.shopId === shopId);
  const set = p.state.categories.prerequisiteFailures.get(shopId);
  return {
    check_results: CHECK_ITEMS.map((item) => {
      const reasons = [...(set?.get(item) ?? [])];
      if (item === 'PICKUP_WAREHOUSE' && !warehouses.some((w) => w.type === 'SALES_WAREHOUSE'))
        reasons.push('The shop has no pickup warehouse.');
      if (item === 'RETURN_WAREHOUSE' && !warehouses.some((w) => w.type === 'RETURN_WAREHOUSE'))
        reasons.push('The shop has no return warehouse.');
      return { check_item: item, is_failed: reasons.length > 0, fail_reasons: reasons };
    }),
  };
}

export function uploadedBy(p: Platform, appKey: string, kind: 'image' | 'file', reference: string): boolean {
  for (const u of p.state.uploads.values()) {
    if (u.kind === kind && u.appKey === appKey && u.reference === reference) return true;
  }
  return false;
}

/** Validates `certifications[]` against the category's rules and this app's uploads (Create and Partial Edit Product). */
export function parseCertifications(
  p: Platform,
  appKey: string,
  product: Pick<Product, 'shopId' | 'categoryId'>,
  raw: unknown,
): ProductCertification[] {
  if (!Array.isArray(raw)) throw paramError('param body.certifications is invalid');
  if (raw.length > 10) throw paramError('param body.certifications must have at most 10 entries');
  const rules = product.categoryId === null ? undefined : byId.get(product.categoryId)?.certifications;
  const seen = new Set<string>();
  const nowSec = Math.floor(p.clock.now() / 1000);
  const out = raw.map((entry): ProductCertification => {
    const cert = asObject(entry);
    const id = optString(cert.id) ?? '';
    const rule = rules?.find((r) => r.id === id);
    if (rules && !rule) throw coded('certification_id_unknown', 'qualification id not exist');
    if (seen.has(id)) throw coded('certification_id_duplicate', 'qualification id duplicate');
    seen.add(id);
    const images = (Array.isArray(cert.images) ? cert.images : []).map((i) => optString(asObject(i).uri) ?? '');
    for (const uri of images) {
      if (!uploadedBy(p, appKey, 'image', uri))
        throw coded('product_certification_image_unknown', 'product qualification image uri illegal');
    }
    const files = (Array.isArray(cert.files) ? cert.files : []).map((f) => {
      const file = asObject(f);
      return { id: optString(file.id) ?? '', name: optString(file.name) ?? '', format: optString(file.format) ?? '' };
    });
    for (const f of files) {
      if (!uploadedBy(p, appKey, 'file', f.id) || f.format !== 'PDF')
        throw coded('product_certification_file_unknown', 'product qualification file uri illegal');
    }
    const expiry = optNumber(cert.expiration_date);
    if ((rule?.expiryRequired && expiry === undefined) || (expiry !== undefined && expiry <= nowSec)) {
      throw coded('certification_expiry_invalid', 'Please enter valid certificate expiration date');
    }
    return { id, images, files, expirationDate: expiry ?? null };
  });
  for (const r of rules ?? []) {
    if (r.isRequired && !out.some((c) => c.id === r.id && c.images.length + c.files.length > 0)) {
      throw coded('certification_required_missing', 'required qualification miss');
    }
  }
  return out;
}

/**
 * POST /product/202309/products/{product_id}/partial_edit (also 202509): only the top-level properties sent change
 * (title, description, main_images, certifications); SKUs, prices and stock are left as they are here. The edit goes
 * to audit (AUDITING, webhook 37) and ends after rules.auditDurationMs: APPROVED, or PRE_APPROVED with
 * RESTRICTED_CATEGORY_PENDING while the category waits for approval. The product's status does not change (the
 * live version stays until the audit passes). A restricted category with no application refuses (12052223).
 */
export function partialEditProduct(p: Platform, appKey: string, shopId: string, productId: string, body: Json): Json {
  const product = ownProduct(p, shopId, productId);
  if (product.status === 'FREEZE' || product.status === 'DELETED') {
    throw coded(
      'product_status_forbids',
      'The product in its current status is not available for this operation. Change the product status and try again.',
    );
  }
  if (
    product.categoryId !== null &&
    permissionOf(p, shopId, product.categoryId) !== 'AVAILABLE' &&
    !categoryPending(p, product)
  ) {
    throw restricted(p, shopId, product.categoryId);
  }
  const title = body.title === undefined ? undefined : optString(body.title);
  if (body.title !== undefined && !title) throw coded('product_title_missing', 'product name is empty');
  const description = body.description === undefined ? undefined : optString(body.description);
  if (body.description !== undefined && !description)
    throw coded('product_description_missing', 'The product description is required');
  let mainImages: string[] | undefined;
  if (body.main_images !== undefined) {
    mainImages = (Array.isArray(body.main_images) ? body.main_images : []).map((i) => optString(asObject(i).uri) ?? '');
    if (mainImages.length === 0) throw coded('product_main_image_missing', 'Main product image is required');
    for (const uri of mainImages) {
      if (!uploadedBy(p, appKey, 'image', uri))
        throw coded('product_main_image_unknown', 'product main image uri illegal');
    }
  }
  const certifications =
    body.certifications === undefined ? undefined : parseCertifications(p, appKey, product, body.certifications);
  // Everything is checked: apply the properties sent, and only those.
  if (title !== undefined) product.title = title;
  if (description !== undefined) product.description = description;
  if (mainImages !== undefined) product.mainImageUris = mainImages;
  if (certifications !== undefined) product.certifications = certifications;
  const now = p.clock.now();
  product.updateTime = now;
  setAudit(p, product, 'AUDITING', now);
  product.auditDueAt = now + p.clock.rules.auditDurationMs;
  p.scheduler.schedule('edit_audit_done', product.id, product.auditDueAt);
  return {
    product_id: product.id,
    skus: product.skus.map((s) => ({ id: s.id, seller_sku: s.sellerSku, sales_attributes: [] })),
    audit: { status: product.auditStatus, pre_approved_reasons: [] },
  };
}

/** Scheduler: the audit of an edit ends (its product's status stays; a live product stays live). */
export function onEditAuditDone(p: Platform, productId: string, at: number): void {
  const product = p.state.products.get(productId);
  if (!product || product.auditStatus !== 'AUDITING' || product.auditDueAt === null || product.auditDueAt > at) return;
  product.auditDueAt = null;
  const result = auditResult(p, product);
  setAudit(p, product, result.status, at, result.reasons);
}

// ---- the Qualification Center (admin API)

function catalogLeaf(categoryId: string): CatalogCategory {
  const c = byId.get(categoryId);
  if (!c || !c.isLeaf) throw new AdminError(404, `no leaf category ${categoryId}`);
  return c;
}

function shopOr404(p: Platform, shopId: string): void {
  if (!p.state.shops.has(shopId)) throw new AdminError(404, `unknown shop ${shopId}`);
}

const productsIn = (p: Platform, shopId: string, categoryId: string): Product[] =>
  [...p.state.products.values()].filter(
    (x) => x.shopId === shopId && x.categoryId === categoryId && x.status !== 'DELETED',
  );

export function applicationJson(a: CategoryApplication): Json {
  return {
    shop_id: a.shopId,
    category_id: a.categoryId,
    status: a.status,
    attempts: a.attempts.map((t) => ({
      submitted_at: sec(t.submittedAt),
      decided_at: sec(t.decidedAt),
      outcome: t.outcome,
      reasons: t.reasons,
    })),
  };
}

/** POST /__admin/categories/script: the outcomes of the next decisions ('approved' or 'rejected:reason;reason'). */
export function setCategoryScript(p: Platform, body: Json): Json {
  const shopId = optString(body.shop_id) ?? '';
  const categoryId = optString(body.category_id) ?? '';
  shopOr404(p, shopId);
  catalogLeaf(categoryId);
  const outcomes = Array.isArray(body.outcomes) ? body.outcomes.map((o) => String(o)) : [];
  for (const o of outcomes) parseOutcome(o);
  p.state.categories.setScript(shopId, categoryId, outcomes);
  return { shop_id: shopId, category_id: categoryId, script: outcomes };
}

/**
 * POST /__admin/categories/applications: the seller submits an application in the Qualification Center. The shop's
 * products in the category wait for it: PRE_APPROVED with RESTRICTED_CATEGORY_PENDING (webhook 37). With
 * rules.categoryReviewMs set, the review decides by itself after that much business time.
 */
export function submitApplication(p: Platform, body: Json): Json {
  const shopId = optString(body.shop_id) ?? '';
  const categoryId = optString(body.category_id) ?? '';
  shopOr404(p, shopId);
  catalogLeaf(categoryId);
  if (permissionOf(p, shopId, categoryId) === 'AVAILABLE') {
    throw new AdminError(409, `shop ${shopId} may already list in category ${categoryId}`);
  }
  const existing = p.state.categories.application(shopId, categoryId);
  if (existing?.status === 'PENDING') throw new AdminError(409, `an application for ${categoryId} is under review`);
  const now = p.clock.now();
  const application: CategoryApplication = existing ?? { shopId, categoryId, status: 'PENDING', attempts: [] };
  application.status = 'PENDING';
  application.attempts.push({ submittedAt: now, decidedAt: null, outcome: null, reasons: [] });
  p.state.categories.saveApplication(application);
  for (const product of productsIn(p, shopId, categoryId)) {
    setAudit(p, product, 'PRE_APPROVED', now, [PENDING_REASON]);
    // A product a rejection failed waits for the new decision.
    if (product.status === 'FAILED') setProductStatus(p, product, 'PENDING', now);
  }
  const reviewMs = p.clock.rules.categoryReviewMs;
  if (reviewMs !== null) p.scheduler.schedule('category_review', `${shopId}|${categoryId}`, now + reviewMs);
  return applicationJson(application);
}

function parseOutcome(outcome: string): { approved: boolean; reasons: string[] } {
  if (outcome === 'approved') return { approved: true, reasons: [] };
  const m = /^rejected(?::(.*))?$/s.exec(outcome);
  if (!m) throw new AdminError(400, `an outcome is 'approved' or 'rejected:<reason>[;<reason>…]', not "${outcome}"`);
  const reasons = (m[1] ?? '')
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  return {
    approved: false,
    reasons: reasons.length > 0 ? reasons : ['The qualification documents were not accepted.'],
  };
}

/**
 * POST /__admin/categories/decide: TikTok's reviewer decides the pending application: `outcome` if given, else the
 * script's next one, else approved. Approved: the category becomes AVAILABLE to the shop and its products are approved
 * and live (webhook 37 APPROVED). Rejected: its products fail the audit with the reasons (webhook 37 FAILED).
 */
export function decideApplication(p: Platform, body: Json): Json {
  const shopId = optString(body.shop_id) ?? '';
  const categoryId = optString(body.category_id) ?? '';
  const application = p.state.categories.application(shopId, categoryId);
  if (application?.status !== 'PENDING') {
    throw new AdminError(409, `no application of shop ${shopId} for ${categoryId} is under review`);
  }
  const outcome = optString(body.outcome) ?? p.state.categories.takeScripted(shopId, categoryId) ?? 'approved';
  const { approved, reasons } = parseOutcome(outcome);
  const now = p.clock.now();
  const attempt = application.attempts.at(-1)!;
  attempt.decidedAt = now;
  attempt.outcome = approved ? 'approved' : 'rejected';
  attempt.reasons = reasons;
  application.status = approved ? 'APPROVED' : 'REJECTED';
  if (approved) p.state.categories.setPermission(shopId, categoryId, 'AVAILABLE');
  for (const product of productsIn(p, shopId, categoryId)) {
    setAudit(p, product, approved ? 'APPROVED' : 'FAILED', now, reasons);
    if (product.status === 'PENDING') setProductStatus(p, product, approved ? 'ACTIVATE' : 'FAILED', now);
  }
  return applicationJson(application);
}

/** Scheduler (rules.categoryReviewMs): the review of `shop|category` decides by itself. */
export function onCategoryReview(p: Platform, key: string): void {
  const [shopId, categoryId] = key.split('|');
  if (p.state.categories.application(shopId ?? '', categoryId ?? '')?.status !== 'PENDING') return;
  decideApplication(p, { shop_id: shopId, category_id: categoryId });
}

/**
 * POST /__admin/products/:id/category: the product moves to another leaf (as TikTok or the seller may move it) and
 * webhook 18 (product category change) says so.
 */
export function moveProduct(p: Platform, productId: string, body: Json): Json {
  const product = p.state.products.get(productId);
  if (!product) throw new AdminError(404, `unknown product ${productId}`);
  const categoryId = optString(body.category_id) ?? '';
  catalogLeaf(categoryId);
  const previous = product.categoryId;
  product.categoryId = categoryId;
  product.updateTime = p.clock.now();
  p.webhooks.emit(product.shopId, 'PRODUCT_CATEGORY_CHANGE', {
    product_id: product.id,
    previous_category_id: previous ?? '0',
    current_category_id: categoryId,
    update_time: sec(product.updateTime),
  });
  return { product_id: product.id, previous_category_id: previous, current_category_id: categoryId };
}

/** POST /__admin/categories/permission: set a shop's permission for a category directly. */
export function setCategoryPermission(p: Platform, body: Json): Json {
  const shopId = optString(body.shop_id) ?? '';
  const categoryId = optString(body.category_id) ?? '';
  shopOr404(p, shopId);
  if (!byId.has(categoryId)) throw new AdminError(404, `unknown category ${categoryId}`);
  const permission = optString(body.permission) as CategoryPermission | undefined;
  if (!permission || !['AVAILABLE', 'INVITE_ONLY', 'NON_MAIN_CATEGORY', 'PROHIBITED'].includes(permission)) {
    throw new AdminError(400, 'permission is AVAILABLE, INVITE_ONLY, NON_MAIN_CATEGORY or PROHIBITED');
  }
  p.state.categories.setPermission(shopId, categoryId, permission);
  return { shop_id: shopId, category_id: categoryId, permission };
}

/** POST /__admin/prerequisites: `{shop_id, failed: {CHECK_ITEM: [reason, …]}}` (an empty object clears them). */
export function setPrerequisiteFailures(p: Platform, body: Json): Json {
  const shopId = optString(body.shop_id) ?? '';
  shopOr404(p, shopId);
  const failed = asObject(body.failed);
  const map = new Map<string, string[]>();
  for (const [item, reasons] of Object.entries(failed)) {
    if (!(CHECK_ITEMS as readonly string[]).includes(item)) throw new AdminError(400, `unknown check item ${item}`);
    map.set(item, Array.isArray(reasons) ? reasons.map(String) : [String(reasons)]);
  }
  p.state.categories.prerequisiteFailures.set(shopId, map);
  return checkListingPrerequisites(p, shopId);
}

/** GET /__admin/categories?shop_id=: each leaf with the shop's permission, application, script and products. */
export function categoriesOfShop(p: Platform, shopId: string): Json {
  shopOr404(p, shopId);
  return {
    categories: CATEGORY_CATALOG.filter((c) => c.isLeaf).map((c) => {
      const application = p.state.categories.application(shopId, c.id);
      return {
        id: c.id,
        local_name: c.name,
        permission: permissionOf(p, shopId, c.id),
        application: application ? applicationJson(application) : null,
        script: p.state.categories.script(shopId, c.id),
        products: productsIn(p, shopId, c.id).map((x) => ({
          id: x.id,
          status: x.status,
          audit_status: x.auditStatus,
          certifications: x.certifications.map((cert) => cert.id),
        })),
      };
    }),
  };
}
