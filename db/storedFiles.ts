import type { Db } from './knex';

/** A stored_files row (db/migrations/019_stored_files.ts). */
export interface StoredFileRow {
  shop_id: string;
  file_id: string;
  mime_type: string;
  size_bytes: number;
  width: number | null;
  height: number | null;
  purpose: string;
  key_id: string;
  sealed: Buffer;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  tiktok_image: TikTokImageRecord | null;
}

/** What Upload Product Image answered for a stored image (the uri goes to Reject Return's `images[].image_id`). */
export interface TikTokImageRecord {
  uri: string;
  width: number;
  height: number;
  useCase: string;
  uploadedAt: string;
}

export type StoredFileMetaRow = Omit<StoredFileRow, 'sealed'>;

const META_COLUMNS = [
  'shop_id',
  'file_id',
  'mime_type',
  'size_bytes',
  'width',
  'height',
  'purpose',
  'key_id',
  'created_by',
  'created_at',
  'expires_at',
  'tiktok_image',
] as const;

export function createStoredFileRepository(db: Db) {
  return {
    /**
     * Inserts a file, or (the same bytes again: same shop and file id) keeps the row and its sealed bytes and only
     * moves expires_at later. `created` tells which; the row is returned without its bytes.
     */
    async insertOrExtend(
      row: Omit<StoredFileRow, 'created_at' | 'tiktok_image'>,
    ): Promise<{ row: StoredFileMetaRow; created: boolean }> {
      const result = await db.raw<{ rows: (StoredFileMetaRow & { created: boolean })[] }>(
        `insert into stored_files
           (shop_id, file_id, mime_type, size_bytes, width, height, purpose, key_id, sealed, created_by, expires_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (shop_id, file_id)
         do update set expires_at = greatest(stored_files.expires_at, excluded.expires_at)
         returning ${META_COLUMNS.join(', ')}, (xmax = 0) as created`,
        [
          row.shop_id,
          row.file_id,
          row.mime_type,
          row.size_bytes,
          row.width,
          row.height,
          row.purpose,
          row.key_id,
          row.sealed,
          row.created_by,
          row.expires_at,
        ],
      );
      const { created, ...meta } = result.rows[0]!;
      return { row: meta, created };
    },

    /** One file with its sealed bytes. */
    async get(shopId: string, fileId: string): Promise<StoredFileRow | undefined> {
      return db<StoredFileRow>('stored_files').where({ shop_id: shopId, file_id: fileId }).first();
    },

    /** One file without its bytes. */
    async meta(shopId: string, fileId: string): Promise<StoredFileMetaRow | undefined> {
      return db<StoredFileRow>('stored_files')
        .where({ shop_id: shopId, file_id: fileId })
        .first<StoredFileMetaRow | undefined>(...META_COLUMNS);
    },

    /** A shop's files, newest first, without their bytes; `before` pages on created_at. */
    async list(
      shopId: string,
      opts: { purpose?: string; limit: number; before?: Date } = { limit: 100 },
    ): Promise<StoredFileMetaRow[]> {
      let q = db<StoredFileRow>('stored_files')
        .where({ shop_id: shopId })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'file_id', order: 'asc' },
        ])
        .limit(opts.limit);
      if (opts.purpose) q = q.where('purpose', opts.purpose);
      if (opts.before) q = q.where('created_at', '<', opts.before);
      return q.select<StoredFileMetaRow[]>(...META_COLUMNS);
    },

    /**
     * Records Upload Product Image's answer unless one is recorded already; returns the record that stands (the first
     * one written, should two attempts have raced).
     */
    async recordTikTokImage(
      shopId: string,
      fileId: string,
      image: TikTokImageRecord,
    ): Promise<TikTokImageRecord | undefined> {
      await db('stored_files')
        .where({ shop_id: shopId, file_id: fileId })
        .whereNull('tiktok_image')
        .update({ tiktok_image: JSON.stringify(image) });
      const row = await db<StoredFileRow>('stored_files')
        .where({ shop_id: shopId, file_id: fileId })
        .first<Pick<StoredFileRow, 'tiktok_image'> | undefined>('tiktok_image');
      return row?.tiktok_image ?? undefined;
    },

    /** Retention: deletes at most `limit` files whose expires_at has passed; returns how many went. */
    async deleteExpired(now: Date, limit: number): Promise<number> {
      const result = await db.raw<{ rowCount: number | null }>(
        `delete from stored_files where (shop_id, file_id) in
           (select shop_id, file_id from stored_files where expires_at <= ? order by expires_at limit ?)`,
        [now, limit],
      );
      return result.rowCount ?? 0;
    },
  };
}

export type StoredFileRepository = ReturnType<typeof createStoredFileRepository>;
