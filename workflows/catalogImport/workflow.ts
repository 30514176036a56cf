import { ApplicationFailure } from '@temporalio/common';
import { proxyActivities } from '@temporalio/workflow';
import type { CatalogImportActivities } from '../../activities/catalogImport';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../shared/failureTypes';
import type { CatalogImportInput, CatalogImportResult } from './messages';

const { importCatalog, failCatalogImport } = proxyActivities<CatalogImportActivities>({
  // Catalog reads carry no deadline: they wait behind out-of-stock pushes in the shared rate budget, heartbeating
  // while they wait. The import heartbeats a checkpoint after each chunk of 50 seller_skus, and a retried attempt
  // resumes there: an attempt may end (worker lost, timeout) without losing the chunks it finished.
  startToCloseTimeout: '30 minutes',
  // Longer than one TikTok request may take (DEFAULT_TIMEOUT_MS, 30 s), during which nothing heartbeats.
  heartbeatTimeout: '1 minute',
  retry: {
    maximumAttempts: 10,
    nonRetryableErrorTypes: [
      ...NON_RETRYABLE_TIKTOK_FAILURES,
      SHOP_NOT_CONNECTED,
      'CatalogImportNotFound',
      'CatalogImportTooLarge',
    ],
  },
});

/** Imports one ERP catalog export: parse, match to TikTok SKUs by seller_sku, store, report. */
export async function catalogImport(input: CatalogImportInput): Promise<CatalogImportResult> {
  try {
    return await importCatalog(input);
  } catch (err) {
    const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    await failCatalogImport({ importId: input.importId, message });
    throw ApplicationFailure.nonRetryable(`catalog import ${input.importId} failed: ${message}`, 'CatalogImportFailed');
  }
}
