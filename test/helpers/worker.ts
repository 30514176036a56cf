import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import { createDataConverter } from '../../temporal/connection';
import { buildDependencies, type BuiltDependencies } from '../../workers/dependencies';
import { encryptedClient, workflowBundle } from './temporal';

export interface TestWorker {
  worker: Worker;
  deps: BuiltDependencies;
  client: Client;
  stop(): Promise<void>;
}

/** The product's worker (real activities and dependencies) on an environment, running until stop(). */
export async function startTestWorker(
  env: TestWorkflowEnvironment,
  opts: {
    cfg: AppConfig;
    db: Db;
    fetch?: typeof fetch;
    /** Stand-ins registered over (or beside) the product's activities, by activity name. */
    activities?: Record<string, (...args: any[]) => Promise<unknown>>;
  },
): Promise<TestWorker> {
  const client = encryptedClient(env, opts.cfg);
  const deps = buildDependencies(opts.cfg, {
    db: opts.db,
    temporal: client,
    logger: pino({ level: 'silent' }),
    fetch: opts.fetch,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: opts.cfg.TEMPORAL_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: { ...createActivities(deps), ...opts.activities },
    dataConverter: createDataConverter(opts.cfg),
  });
  const running = worker.run();
  return {
    worker,
    deps,
    client,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await deps.close();
    },
  };
}
