/** The product's webhook relay alone, in its own process (as in a worker), for the webhook benchmark. */
import pino from 'pino';
import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { connectClient } from '../temporal/connection';
import { createWebhookRelay } from '../webhooks/relay';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const db = createDb(cfg.DATABASE_URL!, 10);
  const temporal = await connectClient(cfg);
  const relay = createWebhookRelay({
    db,
    databaseUrl: cfg.DATABASE_URL!,
    temporal,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    logger: pino({ level: 'warn' }),
    batchSize: cfg.WEBHOOK_RELAY_BATCH,
  });
  await relay.start();
  console.log('relay ready');
  process.once('SIGTERM', () => {
    void relay.stop().then(() => process.exit(0));
  });
}

void main();
