import { ApplicationFailure } from '@temporalio/common';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import { createStoredFileRepository } from '../../db/storedFiles';
import { extensionOf } from '../../files/contentType';
import { createFileStore } from '../../files/fileStore';
import type { TikTokClient } from '../../integrations/tiktok/client';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { uploadFile, type ProductImageUseCase } from '../../integrations/tiktok/uploads';
import type { Keyring } from '../../secrets/keyring';

/** An evidence image as Reject Return's `images[]` takes it (`image_id` is the uri). */
export interface TikTokEvidenceImage {
  uri: string;
  width: number;
  height: number;
  mimeType: string;
}

export interface StoredFileActivityDeps {
  cfg: Pick<AppConfig, 'FILE_MAX_BYTES'>;
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  /** SECRETS_ENCRYPTION_KEY: the stored files are sealed with it. */
  secretsKeyring?: Keyring;
}

// Upload Product Image's use case for a return's evidence: the page names none for after-sales, so the one with the
// widest pixel limits (100–20000 px a side, like every use but MAIN_IMAGE's 300–4000): DESCRIPTION_IMAGE.
// https://partner.tiktokshop.com/docv2/page/upload-product-image-202309
const EVIDENCE_USE_CASE: ProductImageUseCase = 'DESCRIPTION_IMAGE';

/** Activities over the file store that other processes use (returns: evidence for a rejection). */
export function createStoredFileActivities(deps: StoredFileActivityDeps) {
  const repo = createStoredFileRepository(deps.db);
  const store = createFileStore({ db: deps.db, keyring: deps.secretsKeyring, maxBytes: deps.cfg.FILE_MAX_BYTES });

  return {
    /**
     * Sends a stored image to TikTok (Upload Product Image) and answers what Reject Return's `images[]` needs.
     * Idempotent per (shop, file): TikTok's answer is kept on the file's row, so a retried or repeated activity
     * uploads nothing twice. A missing file or one that is not an image fails for good (FileNotFound, NotAnImage).
     */
    async uploadEvidenceToTikTok(input: { shopId: string; fileId: string }): Promise<TikTokEvidenceImage> {
      const known = await repo.meta(input.shopId, input.fileId);
      if (!known) {
        throw ApplicationFailure.nonRetryable(`no file ${input.fileId} for shop ${input.shopId}`, 'FileNotFound');
      }
      const answer = (image: { uri: string; width: number; height: number }): TikTokEvidenceImage => ({
        uri: image.uri,
        width: image.width,
        height: image.height,
        mimeType: known.mime_type,
      });
      if (known.tiktok_image) return answer(known.tiktok_image);
      if (!known.mime_type.startsWith('image/')) {
        throw ApplicationFailure.nonRetryable(
          `file ${input.fileId} is ${known.mime_type}, not an image: TikTok takes images as evidence`,
          'NotAnImage',
        );
      }
      const found = await store.get(input.shopId, input.fileId);
      if (!found) throw ApplicationFailure.nonRetryable(`file ${input.fileId} is gone`, 'FileNotFound');
      const shop = await deps.tokens.shopRef(input.shopId);
      const uploaded = await callEndpoint(deps.tiktok.client, endpoints.uploadProductImage, shop, {
        data: uploadFile(found.bytes, `${input.fileId}.${extensionOf(known.mime_type)}`, known.mime_type),
        use_case: EVIDENCE_USE_CASE,
      });
      const recorded = await repo.recordTikTokImage(input.shopId, input.fileId, {
        uri: uploaded.uri,
        width: uploaded.width,
        height: uploaded.height,
        useCase: EVIDENCE_USE_CASE,
        uploadedAt: new Date().toISOString(),
      });
      return answer(recorded ?? uploaded);
    },
  };
}

export type StoredFileActivities = ReturnType<typeof createStoredFileActivities>;
