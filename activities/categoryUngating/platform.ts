// The categoryUngating workflow's TikTok side (issue 19 items 2 and 3): what a category asks of the shop, our product →
// category mapping, and attaching the vault's certificates to the category's products once the category is approved.
// https://partner.tiktokshop.com/docv2/page/get-categories-202309 (`permission_statuses`, INVITE_ONLY = restricted)
// https://partner.tiktokshop.com/docv2/page/get-category-rules-202309 (12052223 / 12052226 while restricted)
// https://partner.tiktokshop.com/docv2/page/partial-edit-product-202509 (only the properties sent change)
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { AppConfig } from '../../config';
import { createCertificateRepository, type CertificateRow } from '../../db/certificates';
import type { Db } from '../../db/knex';
import { createProductCategoryRepository, type ProductCategoryUpsert } from '../../db/productCategories';
import { createShopRepository } from '../../db/shops';
import { createFileStore } from '../../files/fileStore';
import { heartbeatCheckpoint } from '../../integrations/tiktok/activityHooks';
import { RESTRICTED_CATEGORY_CODES, type CategoryRules } from '../../integrations/tiktok/categories';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { ShopRef } from '../../integrations/tiktok/common';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { TikTokPermissionDenied } from '../../integrations/tiktok/errors';
import type { CertificationInput, Product } from '../../integrations/tiktok/products';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { uploadFile } from '../../integrations/tiktok/uploads';
import type { Keyring } from '../../secrets/keyring';
import { replayUnmappedAuditEvents } from '../../temporal/categoryUngating';
import { certificationRuleFor } from './certificationMatch';

export interface CategoryPlatformDeps {
  cfg: Pick<AppConfig, 'FILE_MAX_BYTES'>;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  /** SECRETS_ENCRYPTION_KEY: the vault's files are sealed with it. */
  secretsKeyring?: Keyring;
}

/** One certification a category's products must (or may) carry, from Get Category Rules. */
export interface CategoryCertificationRequirement {
  id: string;
  name: string;
  /** Always required (`is_required`); false for optional and conditional ones (`requirement_conditions`). */
  required: boolean;
  /** The certification must carry an expiry date (`expiration_date.is_required`). */
  expiryRequired: boolean;
}

export interface CategoryRequirements {
  /** The shop may not list in the category yet (anything but AVAILABLE, or Get Category Rules refused as restricted). */
  gated: boolean;
  /** The shop's `permission_statuses` for the category (INVITE_ONLY while restricted); 'UNKNOWN' if not listed. */
  permission: string;
  /** Empty while gated: TikTok answers the rules only once the category is approved. */
  certifications: CategoryCertificationRequirement[];
}

export interface AttachCertificationsResult {
  /** Each product of the category, with the audit status Partial Edit Product answered (AUDITING while reviewed). */
  products: { productId: string; auditStatus: string }[];
}

/** US shops must use the 7-level tree (`v2`); other regions `v1` (12052217 otherwise). */
export function categoryVersionOf(region: string | undefined): 'v1' | 'v2' {
  return (region ?? 'US') === 'US' ? 'v2' : 'v1';
}

/** The leaf of Get Product's `category_chains` (the product's category): the entry marked leaf, else the last. */
export function leafCategoryOf(product: Pick<Product, 'category_chains'>): string | undefined {
  const chain = product.category_chains ?? [];
  return (chain.find((c) => c.is_leaf === true) ?? chain.at(-1))?.id;
}

/** A calendar day (YYYY-MM-DD) as the Unix seconds of its start in UTC, as `expiration_date` takes it. */
const daySeconds = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);

/** Certification rules as the workflow reads them. */
export function requirementsOf(rules: CategoryRules): CategoryCertificationRequirement[] {
  return rules.product_certifications.map((c) => ({
    id: c.id,
    name: c.name,
    required: c.is_required,
    expiryRequired: c.expiration_date?.is_required ?? false,
  }));
}

const isRestricted = (err: unknown): boolean =>
  err instanceof TikTokPermissionDenied && err.code !== null && RESTRICTED_CATEGORY_CODES.includes(err.code);

export function createCategoryUngatingPlatformActivities(deps: CategoryPlatformDeps) {
  const client = deps.tiktok.client;
  const mapping = createProductCategoryRepository(deps.db);
  const vault = createCertificateRepository(deps.db);
  const files = createFileStore({ db: deps.db, keyring: deps.secretsKeyring, maxBytes: deps.cfg.FILE_MAX_BYTES });

  async function shopOf(shopId: string): Promise<{ shop: ShopRef; version: 'v1' | 'v2' }> {
    const [shop, region] = await Promise.all([
      deps.tokens.shopRef(shopId),
      createShopRepository(deps.db).region(shopId),
    ]);
    return { shop, version: categoryVersionOf(region) };
  }

  /**
   * Syncs the shop's product → category mapping: every product Search Products lists, its category read from Get
   * Product (`category_chains`; Search Products does not carry it). Then replays audit events recorded while their
   * product was unmapped. Heartbeats per page; returns counts only.
   */
  async function syncProductCategories(input: {
    shopId: string;
  }): Promise<{ products: number; mapped: number; replayed: number }> {
    const { shop } = await shopOf(input.shopId);
    let pageToken: string | undefined;
    let products = 0;
    let mapped = 0;
    do {
      const page = await callEndpoint(client, endpoints.searchProducts, shop, {
        page_size: 100,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      const rows: ProductCategoryUpsert[] = [];
      for (const summary of page.products) {
        products += 1;
        const product = await callEndpoint(client, endpoints.getProduct, shop, { product_id: summary.id });
        const categoryId = leafCategoryOf(product);
        if (!categoryId) continue;
        rows.push({
          shop_id: input.shopId,
          product_id: product.id,
          category_id: categoryId,
          category_chain: (product.category_chains ?? []).map((c) => ({
            id: c.id,
            ...(c.local_name ? { local_name: c.local_name } : {}),
          })),
          product_status: product.status ?? null,
          audit_status: product.audit?.status ?? null,
          source: 'get_product',
        });
      }
      await mapping.upsert(rows);
      mapped += rows.length;
      heartbeatCheckpoint({ products });
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    const replayed = await replayUnmappedAuditEvents(deps.temporal, mapping, input.shopId);
    return { products, mapped, replayed };
  }

  /** Uploads one vault document (PDF through Upload Product File, an image through Upload Product Image). */
  async function upload(shop: ShopRef, doc: CertificateRow): Promise<Pick<CertificationInput, 'files' | 'images'>> {
    const found = await files.get(doc.shop_id, doc.file_id);
    if (!found) {
      throw ApplicationFailure.nonRetryable(`certificate ${doc.certificate_id}: its file is gone`, 'FileNotFound');
    }
    if (found.file.mimeType === 'application/pdf') {
      // The page's name rules: the extension included, no spaces, one period.
      const name = `${doc.document_type}-${doc.certificate_id.slice(0, 8)}.pdf`;
      const uploaded = await callEndpoint(client, endpoints.uploadProductFile, shop, {
        data: uploadFile(found.bytes, name, 'application/pdf'),
        name,
      });
      return { files: [{ id: uploaded.id, name, format: 'PDF' }] };
    }
    const extension = found.file.mimeType === 'image/png' ? 'png' : 'jpg';
    const uploaded = await callEndpoint(client, endpoints.uploadProductImage, shop, {
      data: uploadFile(found.bytes, `${doc.file_id.slice(0, 16)}.${extension}`, found.file.mimeType),
      use_case: 'CERTIFICATION_IMAGE',
    });
    return { images: [{ uri: uploaded.uri }] };
  }

  return {
    /**
     * What the category asks of the shop: its permission from Get Categories and, once it is AVAILABLE, the
     * certifications Get Category Rules lists. Syncs the product → category mapping first (syncProductCategories). A restricted category is `gated` with no certifications (its
     * application's documents come from policy/categoryRequirements.ts, not from the API).
     */
    async readCategoryRequirements(input: { shopId: string; categoryId: string }): Promise<CategoryRequirements> {
      const { shop, version } = await shopOf(input.shopId);
      // The application's decision arrives as audit webhooks of the category's products (type 37): the mapping must
      // know them before the application is submitted, so it is synced here, where every application starts.
      await syncProductCategories({ shopId: input.shopId });
      const categories = await callEndpoint(client, endpoints.getCategories, shop, { category_version: version });
      const statuses = categories.find((c) => c.id === input.categoryId)?.permission_statuses ?? [];
      const permission = statuses.includes('AVAILABLE') ? 'AVAILABLE' : (statuses[0] ?? 'UNKNOWN');
      if (permission !== 'AVAILABLE') return { gated: true, permission, certifications: [] };
      try {
        const rules = await callEndpoint(client, endpoints.getCategoryRules, shop, {
          category_id: input.categoryId,
          category_version: version,
        });
        return { gated: false, permission, certifications: requirementsOf(rules) };
      } catch (err) {
        // Listed AVAILABLE but refused as restricted: TikTok's rules answer decides.
        if (isRestricted(err)) return { gated: true, permission: 'INVITE_ONLY', certifications: [] };
        throw err;
      }
    },

    syncProductCategories,

    /**
     * Attaches vault documents to every product of the category: syncs the mapping, uploads each document once, then
     * one Partial Edit Product per product carrying `certifications` only (every other property keeps its value),
     * with the product's other certifications kept as they are. Documents of one certification go together; the
     * expiry sent is the earliest of theirs. A document whose type matches none of the category's certifications
     * fails the activity (non-retryable CertificationNotInCategory): attaching half of what a person chose is wrong.
     */
    async attachCertifications(input: {
      shopId: string;
      categoryId: string;
      certificateIds: string[];
    }): Promise<AttachCertificationsResult> {
      const { shop, version } = await shopOf(input.shopId);
      await syncProductCategories({ shopId: input.shopId });
      const rules = requirementsOf(
        await callEndpoint(client, endpoints.getCategoryRules, shop, {
          category_id: input.categoryId,
          category_version: version,
        }),
      );
      const docs: CertificateRow[] = [];
      for (const id of input.certificateIds) {
        const doc = await vault.get(input.shopId, id);
        if (!doc || doc.deleted_at) {
          throw ApplicationFailure.nonRetryable(`no certificate ${id} in the shop's vault`, 'CertificateNotFound');
        }
        docs.push(doc);
      }
      const byRule = new Map<string, CertificationInput>();
      for (const doc of docs) {
        const ruleId = certificationRuleFor(doc.document_type, rules);
        if (!ruleId) {
          throw ApplicationFailure.nonRetryable(
            `certificate ${doc.certificate_id} (${doc.document_type}) matches none of category ${input.categoryId}'s certifications: ${rules.map((r) => r.name).join(', ') || 'none'}`,
            'CertificationNotInCategory',
          );
        }
        const uploaded = await upload(shop, doc);
        const entry = byRule.get(ruleId) ?? { id: ruleId };
        if (uploaded.files) entry.files = [...(entry.files ?? []), ...uploaded.files];
        if (uploaded.images) entry.images = [...(entry.images ?? []), ...uploaded.images];
        if (doc.expires_on) {
          const expiry = daySeconds(doc.expires_on);
          entry.expiration_date = Math.min(entry.expiration_date ?? expiry, expiry);
        }
        byRule.set(ruleId, entry);
        heartbeatCheckpoint({ uploaded: doc.certificate_id });
      }
      const out: AttachCertificationsResult['products'] = [];
      for (const row of await mapping.productsOf(input.shopId, input.categoryId)) {
        const product = await callEndpoint(client, endpoints.getProduct, shop, { product_id: row.product_id });
        // `certifications` is one top-level property: the edit replaces it whole, so the others are sent back as they are.
        const kept: CertificationInput[] = (product.certifications ?? [])
          .filter((c) => !byRule.has(c.id))
          .map((c) => ({
            id: c.id,
            ...(c.images?.length ? { images: c.images.flatMap((i) => (i.uri ? [{ uri: i.uri }] : [])) } : {}),
            ...(c.files?.length
              ? {
                  files: c.files.flatMap((f) =>
                    f.id && f.name ? [{ id: f.id, name: f.name, format: 'PDF' as const }] : [],
                  ),
                }
              : {}),
            ...(c.expiration_date ? { expiration_date: c.expiration_date } : {}),
          }));
        const edited = await callEndpoint(client, endpoints.partialEditProduct, shop, {
          product_id: row.product_id,
          certifications: [...kept, ...byRule.values()],
        });
        const auditStatus = edited.audit?.status ?? 'AUDITING';
        await mapping.recordAuditStatus(input.shopId, row.product_id, auditStatus);
        out.push({ productId: row.product_id, auditStatus });
        heartbeatCheckpoint({ edited: row.product_id });
      }
      return { products: out };
    },
  };
}

export type CategoryUngatingPlatformActivities = ReturnType<typeof createCategoryUngatingPlatformActivities>;
