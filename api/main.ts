import http from 'node:http';
import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { connectClient, createDataConverter } from '../temporal/connection';
import { createApp } from './app';
import { prepareDatabase } from './bootstrap';
import { buildApiDeps } from './buildDeps';
import { createCodecServer } from './codecServer';
import { createLogger } from './logger';

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
      corsOrigins: cfg.CODEC_CORS_ORIGINS.split(',').map((s) => s.trim()),
      auth: cfg.CODEC_AUTH,
      apiKeys,
      deadLetters,
    }),
  );
  await new Promise<void>((resolve) => codec.listen(cfg.CODEC_PORT, cfg.CODEC_HOST, resolve));
  logger.info({ port: cfg.CODEC_PORT, host: cfg.CODEC_HOST, auth: cfg.CODEC_AUTH }, 'codec endpoint listening');

  const shutdown = () => {
    logger.info('API stopping');
    api.close();
    codec.close();
    void temporal.connection
      .close()
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
