import express, { type Express } from 'express';
import type { ApiDeps } from './deps';
import { createErrorHandler, HttpError } from './errors';
import { createFailureLimiter } from './failureLimiter';
import { httpLogger } from './requestLogger';
import { affiliateAuditRoutes } from './routes/affiliateAudit';
import { accountHealthRoutes } from './routes/accountHealth';
import { apiKeyRoutes } from './routes/apiKeys';
import { catalogImportRoutes } from './routes/catalogImport';
import { chargebackRoutes } from './routes/chargeback';
import { deadLetterRoutes } from './routes/deadLetters';
import { disputeAppealRoutes } from './routes/disputeAppeal';
import { suspensionAppealRoutes } from './routes/suspensionAppeal';
import { certificateExpiryRoutes } from './routes/certificateExpiry';
import { categoryUngatingRoutes } from './routes/categoryUngating';
import { certificateRoutes } from './routes/certificates';
import { evidenceBundleRoutes } from './routes/evidenceBundle';
import { filesRoutes } from './routes/files';
import { healthRoutes } from './routes/health';
import { humanStepsRoutes } from './routes/humanSteps';
import { inventoryFeedRoutes } from './routes/inventoryFeed';
import { notificationDeliveryRoutes } from './routes/notificationDelivery';
import { orderAcknowledgmentRoutes } from './routes/orderAcknowledgment';
import { orderReconciliationRoutes } from './routes/orderReconciliation';
import { retentionRoutes } from './routes/retention';
import { returnReconciliationRoutes } from './routes/returnReconciliation';
import { returnRequestRoutes } from './routes/returnRequest';
import { shopConnectionRoutes } from './routes/shopConnection';
import { shopLifecycleRoutes } from './routes/shopLifecycle';
import { shopSettingsRoutes } from './routes/shopSettings';
import { taxHistoryBackfillRoutes } from './routes/taxHistoryBackfill';
import { taxRegistrationsRoutes } from './routes/taxRegistrations';
import { monthlyTaxReportRoutes } from './routes/monthlyTaxReport';
import { tiktokConnectionRoutes } from './routes/tiktokConnection';
import { easypostWebhookReceiver, tiktokWebhookReceiver, webhookInboxRoutes } from './routes/webhooks';

/** The thin HTTP edge: validates, authenticates, then starts, signals and queries workflows. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // One limit for failed API keys and failed webhook signatures per address (issue 13 item 2).
  const limiter = createFailureLimiter({
    limit: deps.config.AUTH_FAILURE_LIMIT ?? 30,
    windowMs: (deps.config.AUTH_FAILURE_WINDOW_SECONDS ?? 60) * 1000,
  });
  // First, before request logging and the JSON parser: the signature covers the raw bytes, and at a thousand
  // webhooks a second the receiver logs only what it refuses.
  app.use(tiktokWebhookReceiver(deps, limiter));
  app.use(easypostWebhookReceiver(deps, limiter));
  app.use(httpLogger(deps.logger));
  // Keep the raw bytes: rejected bodies go to the dead-letter table as they were sent.
  app.use(
    express.json({
      limit: '1mb',
      verify: (req, _res, buf) => {
        (req as express.Request).rawBody = buf;
      },
    }),
  );

  app.use(healthRoutes(deps));
  app.use(apiKeyRoutes(deps));
  app.use(deadLetterRoutes(deps));
  app.use(tiktokConnectionRoutes(deps));
  app.use(webhookInboxRoutes(deps));
  // One route file per process (api/routes/<workflowType>.ts).
  app.use(shopLifecycleRoutes(deps));
  app.use(shopConnectionRoutes(deps));
  app.use(orderAcknowledgmentRoutes(deps));
  app.use(orderReconciliationRoutes(deps));
  app.use(returnReconciliationRoutes(deps));
  app.use(inventoryFeedRoutes(deps));
  app.use(catalogImportRoutes(deps));
  app.use(notificationDeliveryRoutes(deps));
  app.use(retentionRoutes(deps));
  // Shared by every human-in-the-loop process: the seller's choices, audited.
  app.use(shopSettingsRoutes(deps));
  app.use(filesRoutes(deps));
  // The human steps of every process (docs/case-contract.md).
  app.use(humanStepsRoutes(deps));
  app.use(returnRequestRoutes(deps));
  app.use(evidenceBundleRoutes(deps));
  app.use(certificateRoutes(deps));
  app.use(categoryUngatingRoutes(deps));
  app.use(certificateExpiryRoutes(deps));
  app.use(chargebackRoutes(deps));
  app.use(disputeAppealRoutes(deps));
  app.use(suspensionAppealRoutes(deps));
  app.use(affiliateAuditRoutes(deps));
  app.use(accountHealthRoutes(deps));
  app.use(taxRegistrationsRoutes(deps));
  app.use(taxHistoryBackfillRoutes(deps));
  app.use(monthlyTaxReportRoutes(deps));

  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`)));
  app.use(createErrorHandler(deps.deadLetters, { limiter, apiKeys: deps.apiKeys }));
  return app;
}
