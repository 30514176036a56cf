// A worker process running only the tax commit (bench/taxCommitWorkflow.ts + commitSellerOwedTransactions), so a test
// or the benchmark can SIGKILL it mid-batch. Configured like the product's worker (config/index.ts: TEMPORAL_ADDRESS,
// TEMPORAL_TASK_QUEUE, DATABASE_URL, AVATAX_*, TAXJAR_*). Prints {"ready":true} once it polls.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createTaxCommitActivities } from '../activities/taxCommit';
import { loadConfig } from '../config';
import { taxEngineSettings } from '../config/taxEngines';
import { createDb } from '../db/knex';
import { createTaxEngines } from '../integrations/taxEngines';

async function main(): Promise<void> {
  const cfg = loadConfig();
  if (!cfg.DATABASE_URL || !cfg.TEMPORAL_ADDRESS) throw new Error('DATABASE_URL and TEMPORAL_ADDRESS are required');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const db = createDb(cfg.DATABASE_URL, 4);
  const connection = await NativeConnection.connect({ address: cfg.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    workflowsPath: require.resolve('./taxCommitWorkflow'),
    activities: createTaxCommitActivities({ db, taxEngines: createTaxEngines(taxEngineSettings(cfg)) }),
  });
  const running = worker.run();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  process.on('SIGTERM', () => worker.shutdown());
  await running;
  await db.destroy();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
