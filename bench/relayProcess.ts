/** The product's webhook relay alone, in its own process (as in a worker), for the webhook benchmark. */
import pino from 'pino';
import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { connectClient } from '../temporal/connection';
import { createConfiguredRelay } from '../webhooks/relay';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const db = createDb(cfg.DATABASE_URL!, 10);
  const temporal = await connectClient(cfg);
  const relay = createConfiguredRelay(
    { ...cfg, DATABASE_URL: cfg.DATABASE_URL! },
    { db, temporal, logger: pino({ level: 'warn' }) },
  );
  await relay.start();
  console.log('relay ready');
  process.once('SIGTERM', () => {
    void relay.stop().then(() => process.exit(0));
  });
}

void main();
