import type { Db } from './knex';

/** One product's category as synced from Get Product (migration 033). */
export interface ProductCategoryRow {
  shop_id: string;
  product_id: string;
  category_id: string;
  category_chain: { id: string; local_name?: string }[];
  product_status: string | null;
  audit_status: string | null;
  source: 'get_product' | 'webhook';
  synced_at: Date;
}

export type ProductCategoryUpsert = Omit<ProductCategoryRow, 'synced_at'>;

/** What became of a product audit webhook (type 37). */
export type ProductAuditOutcome = 'routed' | 'unmapped' | 'no_application';

export interface ProductAuditEventRow {
  id: string;
  shop_id: string;
  product_id: string;
  category_id: string | null;
  audit_status: string;
  reasons: string[];
  occurred_at: Date;
  outcome: ProductAuditOutcome;
  workflow_id: string | null;
  recorded_at: Date;
}

export type ProductAuditEventInsert = Omit<ProductAuditEventRow, 'id' | 'recorded_at'>;

/** Our product → category mapping and the audit events routed through it (product_categories, product_audit_events). */
export function createProductCategoryRepository(db: Db) {
  return {
    /** Inserts or refreshes mappings (a product moved to another category takes the new one). */
    async upsert(rows: ProductCategoryUpsert[]): Promise<void> {
      if (rows.length === 0) return;
      await db('product_categories')
        .insert(rows.map((r) => ({ ...r, category_chain: JSON.stringify(r.category_chain) })))
        .onConflict(['shop_id', 'product_id'])
        .merge(['category_id', 'category_chain', 'product_status', 'audit_status', 'source', 'synced_at']);
    },

    /**
     * A category-change webhook (type 18): the product is in `categoryId` now. Only the category moves (its chain is
     * unknown until the next Get Product); the statuses read before stay.
     */
    async moveToCategory(shopId: string, productId: string, categoryId: string): Promise<void> {
      await db('product_categories')
        .insert({
          shop_id: shopId,
          product_id: productId,
          category_id: categoryId,
          category_chain: JSON.stringify([{ id: categoryId }]),
          source: 'webhook',
        })
        .onConflict(['shop_id', 'product_id'])
        .merge(['category_id', 'category_chain', 'source', 'synced_at']);
    },

    /** The product's category, undefined when the product was never synced. */
    async categoryOf(shopId: string, productId: string): Promise<string | undefined> {
      const row = await db('product_categories')
        .where({ shop_id: shopId, product_id: productId })
        .first<{ category_id: string } | undefined>('category_id');
      return row?.category_id;
    },

    /** The shop's products in a category, by product id. */
    async productsOf(shopId: string, categoryId: string): Promise<ProductCategoryRow[]> {
      return db('product_categories')
        .where({ shop_id: shopId, category_id: categoryId })
        .orderBy('product_id')
        .select<ProductCategoryRow[]>('*');
    },

    /** Records the latest audit status seen for a mapped product (webhook or Partial Edit answer). */
    async recordAuditStatus(shopId: string, productId: string, auditStatus: string): Promise<void> {
      await db('product_categories')
        .where({ shop_id: shopId, product_id: productId })
        .update({ audit_status: auditStatus, synced_at: db.fn.now() });
    },

    /**
     * Keeps one audit event; a redelivery of the same event (same product, status and time) updates what became of
     * it instead of adding a row. Returns the row.
     */
    async recordAuditEvent(e: ProductAuditEventInsert): Promise<ProductAuditEventRow> {
      const [row] = await db('product_audit_events')
        .insert(e)
        .onConflict(['shop_id', 'product_id', 'audit_status', 'occurred_at'])
        .merge(['category_id', 'reasons', 'outcome', 'workflow_id', 'recorded_at'])
        .returning<ProductAuditEventRow[]>('*');
      return row!;
    },

    /** A shop's recorded audit events, newest first; `outcome` filters (e.g. the unmapped ones to replay). */
    async auditEvents(
      shopId: string,
      opts: { outcome?: ProductAuditOutcome; productId?: string; limit?: number } = {},
    ): Promise<ProductAuditEventRow[]> {
      const q = db('product_audit_events').where({ shop_id: shopId });
      if (opts.outcome) void q.andWhere({ outcome: opts.outcome });
      if (opts.productId) void q.andWhere({ product_id: opts.productId });
      return q
        .orderBy([
          { column: 'occurred_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(opts.limit ?? 100)
        .select<ProductAuditEventRow[]>('*');
    },
  };
}

export type ProductCategoryRepository = ReturnType<typeof createProductCategoryRepository>;
