import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import type { TikTokSettings } from '../config/tiktok';
import type { Db } from '../db/knex';
import type { TikTokAuth } from '../integrations/tiktok/auth';
import type { AuthorizationLinks } from '../integrations/tiktok/authorizationLinks';
import type { TaxEngines } from '../integrations/taxEngines';
import type { TikTokClient } from '../integrations/tiktok/client';
import type { TokenStore } from '../integrations/tiktok/tokenStore';
import type { Notifier } from '../notifications/notifier';
import { createAffiliateSyncActivities } from './affiliateSync';
import { createAffiliateAuditActivities } from './affiliateAudit';
import { createCarrierTrackingActivities } from './carrierTracking';
import { createAccountHealthActivities } from './accountHealth';
import { createCatalogImportActivities } from './catalogImport';
import { createCategoryUngatingPlatformActivities } from './categoryUngating/platform';
import { createCategoryUngatingActivities } from './categoryUngating';
import { createCertificateExpiryActivities } from './certificateExpiry';
import { createChargebackActivities } from './chargeback';
import { createDisputeAppealActivities } from './disputeAppeal';
import { createEvidenceBundleActivities } from './evidenceBundle';
import { createHumanStepActivities } from './humanSteps';
import { createInventoryFeedActivities } from './inventoryFeed';
import { createMonthlyTaxReportActivities } from './monthlyTaxReport';
import { createNotificationActivities } from './notificationDelivery';
import { createOrderActivities, createOrderInventoryActivities } from './orderAcknowledgment';
import { createOrderReconciliationActivities } from './orderReconciliation';
import { createReconciliationActivities } from './reconciliation';
import { createReturnReconciliationActivities } from './returnReconciliation';
import { createRetentionActivities } from './retention';
import { createReturnRequestActivities } from './returnRequest';
import type { Keyring } from '../secrets/keyring';
import { createShopConnectionActivities } from './shopConnection';
import { createShopActivities } from './shopLifecycle';
import { createShopSettingsActivities } from './shopSettings';
import { createStoredFileActivities } from './storedFiles';
import { createSuspensionAppealActivities } from './suspensionAppeal';
import { createTaxCommitActivities } from './taxCommit';
import { createTaxReportActivities } from './taxReport';
import { createTaxDataActivities } from './taxData';
import { withLivenessHeartbeat } from '../temporal/activityLiveness';

/** Everything activities reach the outside world through; built once per worker process. */
export interface ActivityDeps {
  cfg: AppConfig;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient; auth: TikTokAuth; settings: TikTokSettings };
  tokens: TokenStore;
  notifier: Notifier;
  authorizationLinks: AuthorizationLinks;
  /** SECRETS_ENCRYPTION_KEY: stored secrets (tokens), buyer data at rest (warehouse outbox), stored files. */
  secretsKeyring: Keyring;
  /** The configured tax engines (AvaTax, TaxJar; integrations/taxEngines/), absent when not configured. */
  taxEngines: TaxEngines;
  /**
   * Called once when a shop's account-health marker goes from clean to dirty (db/accountHealth.ts markDirty, where
   * order events are recorded): signals the shop's account-health workflow, so a flash sale costs one signal, not one
   * per order (temporal/accountHealth.ts signalAccountHealthDirty).
   */
  onShopHealthDirty?: (shopId: string) => Promise<void>;
}

/**
 * All activities the worker registers, built from their dependencies: one folder per workflow type, plus folders of
 * activities several processes share (shopSettings).
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createShopActivities(deps),
    ...createShopConnectionActivities(deps),
    ...createInventoryFeedActivities(deps),
    ...createCatalogImportActivities(deps),
    // The order's activities run under a 20 s heartbeat timeout (workflows/orderAcknowledgment/proxies.ts): a worker that dies
    // mid-activity is noticed in seconds, not at the 5-minute start-to-close timeout.
    ...withLivenessHeartbeat(createOrderActivities(deps)),
    ...createOrderReconciliationActivities(deps),
    ...createReturnReconciliationActivities(deps),
    ...createReconciliationActivities(deps),
    ...withLivenessHeartbeat(createOrderInventoryActivities(deps)),
    ...createNotificationActivities(deps),
    ...createRetentionActivities(deps),
    // Shared by the human-in-the-loop processes (no workflow type of its own).
    ...createShopSettingsActivities(deps),
    // Used by other processes (returns: evidence images for a rejection).
    ...createStoredFileActivities(deps),
    // The human-step record of every process that waits for a person (docs/case-contract.md).
    ...createHumanStepActivities(deps),
    ...createReturnRequestActivities(deps),
    // Evidence bundles (PDF) for returns, chargebacks and appeals, and on request (the evidenceBundle workflow).
    ...createEvidenceBundleActivities(deps),
    // The monthly tax process's commit to AvaTax/TaxJar (heartbeats its own cursor: no liveness wrapper).
    ...createTaxCommitActivities(deps),
    // The monthly tax report (pages PostgreSQL by cursor with its own heartbeats; summaries only in history).
    ...createTaxReportActivities(deps),
    // The monthly tax report's TikTok input: Finance API lines and FBT presence (also the history backfill's).
    ...createTaxDataActivities(deps),
    // The monthly tax report's settings (its time zone resolved); the report itself: activities/taxReport.
    ...createMonthlyTaxReportActivities(deps),
    // The affiliate data the affiliate audit reads (PostgreSQL; counts only in history).
    ...createAffiliateSyncActivities(deps),
    // Chargebacks and appeals of decided disputes (their recording and paging: activities/chargeback).
    ...createChargebackActivities(deps),
    ...createDisputeAppealActivities(deps),
    ...createAffiliateAuditActivities(deps),
    // Carrier tracking (EasyPost) for the cases that need the carrier's history (evidence bundle, disputes).
    ...createCarrierTrackingActivities(deps),
    ...createAccountHealthActivities(deps),
    // The certificate vault's daily expiry check (its notifications).
    ...createCertificateExpiryActivities(deps),
    // Suspension appeals: their record, eligibility, evidence, Plan of Action and its PDF (issue 18).
    ...createSuspensionAppealActivities(deps),
    // Category ungating's TikTok side: requirements, the product → category mapping, certifications on products.
    ...createCategoryUngatingPlatformActivities(deps),
    // Category applications (the categoryUngating workflow): vault check, packet, records, platform calls.
    ...createCategoryUngatingActivities(deps),
  };
}
