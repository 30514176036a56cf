import http from 'node:http';
import { codecAllowedHosts, loadConfig, splitList } from '../config';
import { createDb } from '../db/knex';
import { connectClient, createDataConverter } from '../temporal/connection';
import { createApp } from './app';
import { prepareDatabase } from './bootstrap';
import { buildApiDeps } from './buildDeps';
import { createCodecServer } from './codecServer';
import { createLogger } from '../logging/logger';
import { drainAndClose } from './shutdown';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const logger = createLogger(cfg.LOG_LEVEL).child({ process: 'api' });
  if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL must be set for the API (npm start sets it for you)');
  const db = createDb(cfg.DATABASE_URL, cfg.DATABASE_POOL_MAX);
  await prepareDatabase(cfg, db);
  const temporal = await connectClient(cfg);
  const deps = buildApiDeps(cfg, { db, temporal, logger });
  const { apiKeys, deadLetters } = deps;

  const api = http.createServer(createApp(deps));
  await new Promise<void>((resolve) => api.listen(cfg.API_PORT, cfg.API_HOST, resolve));
  logger.info({ port: cfg.API_PORT, host: cfg.API_HOST }, 'API listening');

  const codecCodec = createDataConverter(cfg).payloadCodecs![0]!;
  const codec = http.createServer(
    createCodecServer({
      codec: codecCodec,
      corsOrigins: splitList(cfg.CODEC_CORS_ORIGINS),
      auth: cfg.CODEC_AUTH,
      allowedHosts: codecAllowedHosts(cfg),
      apiKeys,
      deadLetters,
      logger: logger.child({ component: 'codec' }),
      failureLimit: { limit: cfg.AUTH_FAILURE_LIMIT, windowMs: cfg.AUTH_FAILURE_WINDOW_SECONDS * 1000 },
      trustProxy: cfg.CODEC_TRUST_PROXY,
    }),
  );
  await new Promise<void>((resolve) => codec.listen(cfg.CODEC_PORT, cfg.CODEC_HOST, resolve));
  logger.info({ port: cfg.CODEC_PORT, host: cfg.CODEC_HOST, auth: cfg.CODEC_AUTH }, 'codec endpoint listening');

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    logger.info({ graceSeconds: cfg.SHUTDOWN_GRACE_SECONDS }, 'API stopping: draining in-flight requests');
    drainAndClose({
      servers: [api, codec],
      graceMs: cfg.SHUTDOWN_GRACE_SECONDS * 1000,
      logger,
      closeClients: async () => {
        await temporal.connection.close();
        await db.destroy();
      },
    })
      .then(() => {
        logger.info('API stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'API stop failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
