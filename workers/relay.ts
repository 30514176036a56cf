/**
 * The webhook relay as its own process: committed inbox rows → workflow signals (webhooks/relay.ts). Run it beside
 * workers started with WEBHOOK_RELAY_IN_WORKER=false, so signalling never waits behind activities on one event loop.
 * Any number may run; each row is leased to one relay at a time.
 */
import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { createLogger } from '../logging/logger';
import { connectClient } from '../temporal/connection';
import { createConfiguredRelay } from '../webhooks/relay';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const log = createLogger(cfg.LOG_LEVEL).child({ process: 'relay' });
  if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL must be set for the relay (npm start sets it for you)');
  const db = createDb(cfg.DATABASE_URL, Math.min(cfg.DATABASE_POOL_MAX, 10));
  const temporal = await connectClient(cfg);
  const relay = createConfiguredRelay({ ...cfg, DATABASE_URL: cfg.DATABASE_URL }, { db, temporal, logger: log });
  await relay.start();
  log.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE, namespace: cfg.TEMPORAL_NAMESPACE }, 'relay started');
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  // Deliveries in flight finish (and record their outcome) before the process exits.
  await relay.stop();
  await temporal.connection.close();
  await db.destroy();
  log.info('relay stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
