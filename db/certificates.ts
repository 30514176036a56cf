import type { Db } from './knex';

/** The metadata columns a person enters (and may correct). */
export interface CertificateFields {
  document_type: string;
  issuer: string | null;
  product: string | null;
  lot: string | null;
  identifier: string | null;
  issued_on: string | null;
  expires_on: string | null;
  categories: string[];
  note: string | null;
}

/** A vault document as stored (dates as YYYY-MM-DD strings, never a Date in the server's time zone). */
export interface CertificateRow extends CertificateFields {
  certificate_id: string;
  shop_id: string;
  file_id: string;
  mime_type: string;
  size_bytes: number;
  created_by: string;
  created_at: Date;
  updated_by: string | null;
  updated_at: Date | null;
  deleted_by: string | null;
  deleted_at: Date | null;
}

export interface CertificateInsert extends CertificateFields {
  shop_id: string;
  file_id: string;
  mime_type: string;
  size_bytes: number;
  created_by: string;
}

export interface CertificateListOptions {
  documentType?: string;
  /** Only documents whose expiry day is on or before this day (YYYY-MM-DD) — and not before `expiresFrom`. */
  expiresBy?: string;
  expiresFrom?: string;
  includeDeleted?: boolean;
  limit?: number;
}

const COLUMNS = [
  'certificate_id',
  'shop_id',
  'file_id',
  'mime_type',
  'size_bytes',
  'document_type',
  'issuer',
  'product',
  'lot',
  'identifier',
  'categories',
  'note',
  'created_by',
  'created_at',
  'updated_by',
  'updated_at',
  'deleted_by',
  'deleted_at',
];

/** The certificate vault's records (certificates, migration 030); the bytes are the file store's. */
export function createCertificateRepository(db: Db) {
  const select = () =>
    db('certificates').select<CertificateRow[]>([
      ...COLUMNS,
      db.raw(`to_char(issued_on, 'YYYY-MM-DD') as issued_on`),
      db.raw(`to_char(expires_on, 'YYYY-MM-DD') as expires_on`),
    ]);

  return {
    async insert(c: CertificateInsert): Promise<CertificateRow> {
      const [inserted] = await db('certificates').insert(c).returning<{ certificate_id: string }[]>('certificate_id');
      return (await select().where({ certificate_id: inserted!.certificate_id }).first())!;
    },

    /** One document of the shop, deleted ones included (they are kept for audit). */
    async get(shopId: string, certificateId: string): Promise<CertificateRow | undefined> {
      return select().where({ shop_id: shopId, certificate_id: certificateId }).first();
    },

    /** A shop's documents, soonest expiry first (undated last), then newest. */
    async list(shopId: string, opts: CertificateListOptions = {}): Promise<CertificateRow[]> {
      const q = select().where({ shop_id: shopId });
      if (!opts.includeDeleted) void q.whereNull('deleted_at');
      if (opts.documentType) void q.andWhere({ document_type: opts.documentType });
      if (opts.expiresBy) void q.andWhere('expires_on', '<=', opts.expiresBy);
      if (opts.expiresFrom) void q.andWhere('expires_on', '>=', opts.expiresFrom);
      return q.orderByRaw('expires_on asc nulls last, created_at desc, certificate_id asc').limit(opts.limit ?? 100);
    },

    /** Replaces the metadata of a document not deleted; undefined when there is none. */
    async update(
      shopId: string,
      certificateId: string,
      fields: CertificateFields,
      updatedBy: string,
    ): Promise<CertificateRow | undefined> {
      const n = await db('certificates')
        .where({ shop_id: shopId, certificate_id: certificateId })
        .whereNull('deleted_at')
        .update({ ...fields, updated_by: updatedBy, updated_at: db.fn.now() });
      return n ? this.get(shopId, certificateId) : undefined;
    },

    /** Marks the document deleted (once: a second delete keeps the first's who and when). */
    async softDelete(shopId: string, certificateId: string, deletedBy: string): Promise<CertificateRow | undefined> {
      await db('certificates')
        .where({ shop_id: shopId, certificate_id: certificateId })
        .whereNull('deleted_at')
        .update({ deleted_by: deletedBy, deleted_at: db.fn.now() });
      return this.get(shopId, certificateId);
    },
  };
}

export type CertificateRepository = ReturnType<typeof createCertificateRepository>;
