import { createEvidenceBundleRepository, type EvidenceCaseKind } from '../../db/evidenceBundles';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import { bundleDocument } from '../../evidence/bundleDocument';
import { createFileStore } from '../../files/fileStore';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { renderPdfDocument } from '../../pdf/render';
import type { Keyring } from '../../secrets/keyring';
import { createEvidenceGathering } from './gather';

export interface EvidenceBundleActivityDeps {
  cfg: Pick<AppConfig, 'FILE_MAX_BYTES' | 'FILE_RETENTION_DAYS'>;
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  /** SECRETS_ENCRYPTION_KEY: the file store seals the PDF (it holds the buyer's address) with it. */
  secretsKeyring?: Keyring;
}

export interface BuildEvidenceBundleInput {
  shopId: string;
  caseKind: EvidenceCaseKind;
  caseId: string;
  orderId: string;
  /** Who asked (a workflow id, an API key's name): recorded on the row, not printed (the bytes stay the same). */
  requestedBy: string;
}

export interface EvidenceBundleRef {
  bundleId: string;
  /** The file store's id of the PDF (the SHA-256 of its bytes). */
  fileId: string;
  sha256: string;
  pageCount: number;
  sizeBytes: number;
  /** The newest timestamp in the data; also the PDF's creation date. */
  dataAsOf: string;
  /** When this PDF was first built for the case (a rebuild of unchanged data finds the same row). */
  builtAt: string;
}

/** The purpose the file store records for bundle PDFs. */
export const EVIDENCE_BUNDLE_PURPOSE = 'evidence-bundle';

/**
 * The evidence bundle of a case (issue 16): gather the order, its address and tracking from TikTok, the stored
 * carrier history and our own records (./gather.ts); print them (evidence/bundleDocument.ts, pdf/render.ts); store the
 * PDF and record it. Idempotent: the same data gives the same bytes, so a retry or a rebuild of an unchanged case
 * returns the same file and row. Logs nothing of the content (the address is buyer data).
 */
export function createEvidenceBundleActivities(deps: EvidenceBundleActivityDeps) {
  const gather = createEvidenceGathering(deps);
  const bundles = createEvidenceBundleRepository(deps.db);
  const store = createFileStore({
    db: deps.db,
    keyring: deps.secretsKeyring,
    maxBytes: deps.cfg.FILE_MAX_BYTES,
    retainDays: deps.cfg.FILE_RETENTION_DAYS,
  });
  return {
    async buildEvidenceBundle(input: BuildEvidenceBundleInput): Promise<EvidenceBundleRef> {
      const data = await gather(input);
      const doc = bundleDocument(data);
      const { bytes, pageCount } = await renderPdfDocument(doc);
      const file = await store.put(input.shopId, bytes, {
        purpose: EVIDENCE_BUNDLE_PURPOSE,
        createdBy: input.requestedBy,
      });
      const { row } = await bundles.insertOrGet({
        shopId: input.shopId,
        caseKind: input.caseKind,
        caseId: input.caseId,
        orderId: input.orderId,
        fileId: file.fileId,
        pageCount,
        sizeBytes: bytes.length,
        dataAsOf: doc.createdAt,
        requestedBy: input.requestedBy,
      });
      return bundleRef(row);
    },
  };
}

/** The activity's answer from a stored row (the routes answer the same shape). */
export function bundleRef(row: {
  bundle_id: string;
  file_id: string;
  page_count: number;
  size_bytes: number;
  data_as_of: Date;
  built_at: Date;
}): EvidenceBundleRef {
  return {
    bundleId: row.bundle_id,
    fileId: row.file_id,
    sha256: row.file_id,
    pageCount: row.page_count,
    sizeBytes: row.size_bytes,
    dataAsOf: new Date(row.data_as_of).toISOString(),
    builtAt: new Date(row.built_at).toISOString(),
  };
}

export type EvidenceBundleActivities = ReturnType<typeof createEvidenceBundleActivities>;
