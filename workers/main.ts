import { loadConfig } from '../config';
import { createDb } from '../db/knex';
import { sealPlainOutboxPayloads } from '../db/warehouseOutboxSealing';
import { connectClient, connectWorkerConnection } from '../temporal/connection';
import { ensureRetentionSchedule } from '../temporal/retention';
import { createLogger } from '../logging/logger';
import { createConfiguredRelay } from '../webhooks/relay';
import { createWorker } from './createWorker';
import { buildDependencies } from './dependencies';
import { installRuntime } from './runtime';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const log = createLogger(cfg.LOG_LEVEL).child({ process: 'worker' });
  if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL must be set for the worker (npm start sets it for you)');
  // Workflow, activity and SDK lines go through the same JSON logger and redaction as ours.
  installRuntime(log);
  const db = createDb(cfg.DATABASE_URL, cfg.DATABASE_POOL_MAX);
  const temporal = await connectClient(cfg);
  const deps = buildDependencies(cfg, { db, temporal, logger: log });
  // Outbox rows from before buyer data was sealed at rest; best effort, the next start tries again.
  await sealPlainOutboxPayloads(db, deps.secretsKeyring).then(
    (n) => n > 0 && log.info({ rows: n }, 'sealed warehouse outbox payloads written in clear'),
    (err: unknown) => log.warn({ err }, 'could not seal older warehouse outbox payloads'),
  );
  const connection = await connectWorkerConnection(cfg);
  const worker = await createWorker(cfg, connection, deps);
  // Unless the relay runs as its own process (workers/relay.ts), each worker also relays webhook inbox rows;
  // several relays share the work safely.
  const relay = cfg.WEBHOOK_RELAY_IN_WORKER
    ? createConfiguredRelay({ ...cfg, DATABASE_URL: cfg.DATABASE_URL }, { db, temporal, logger: log })
    : undefined;
  await relay?.start();
  // The retention Schedule (issue 13 item 2): created or brought up to date by every worker start.
  await ensureRetentionSchedule({ temporal, cfg });
  log.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE, namespace: cfg.TEMPORAL_NAMESPACE }, 'worker started');
  // Runtime's shutdown hooks stop the worker on SIGINT/SIGTERM; run() resolves once it has drained.
  await worker.run();
  await relay?.stop();
  await deps.close();
  await connection.close();
  await temporal.connection.close();
  await db.destroy();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
