import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import type { ApiDeps } from './deps';
import { createErrorHandler, HttpError } from './errors';
import { apiKeyRoutes } from './routes/apiKeys';
import { deadLetterRoutes } from './routes/deadLetters';
import { healthRoutes } from './routes/health';
import { notificationRoutes } from './routes/notifications';
import { shopRoutes } from './routes/shops';
import { tiktokConnectionRoutes } from './routes/tiktokConnection';
import { tiktokWebhookReceiver, webhookInboxRoutes } from './routes/webhooks';

/** The thin HTTP edge: validates, authenticates, then starts, signals and queries workflows. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/healthz' } }));
  // Before the JSON parser: the webhook signature covers the raw bytes.
  app.use(tiktokWebhookReceiver(deps));
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
  app.use(shopRoutes(deps));
  app.use(apiKeyRoutes(deps));
  app.use(deadLetterRoutes(deps));
  app.use(tiktokConnectionRoutes(deps));
  app.use(webhookInboxRoutes(deps));
  app.use(notificationRoutes(deps));

  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`)));
  app.use(createErrorHandler(deps.deadLetters));
  return app;
}
