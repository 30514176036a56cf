import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import type { AppConfig } from '../../config';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { prepareDatabase } from '../../api/bootstrap';
import { createApiKeyRepository } from '../../db/apiKeys';
import { createDeadLetterRepository } from '../../db/deadLetters';
import { createDataConverter } from '../../temporal/connection';
import { testDatabase, type TestDatabase } from './database';
import { encryptedClient, testConfig, workflowBundle } from './temporal';

export interface TestStack {
  cfg: AppConfig;
  baseUrl: string;
  adminKey: string;
  database: TestDatabase;
  client: Client;
  worker: Worker;
  /** fetch against the API with a key (admin by default). */
  call(method: string, path: string, body?: unknown, key?: string | null): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/** The API and a worker in this process, on a fresh database and a unique task queue of the given environment. */
export async function startTestStack(env: TestWorkflowEnvironment, overrides: Record<string, string> = {}) {
  const cfg = testConfig(overrides);
  const database = await testDatabase();
  const { adminKey } = await prepareDatabase(cfg, database.db);
  const client = encryptedClient(env, cfg);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db: database.db }),
    dataConverter: createDataConverter(cfg),
  });
  const running = worker.run();
  const app = createApp({
    config: cfg,
    db: database.db,
    temporal: client,
    logger: pino({ level: 'silent' }),
    apiKeys: createApiKeyRepository(database.db),
    deadLetters: createDeadLetterRepository(database.db),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const stack: TestStack = {
    cfg,
    baseUrl,
    adminKey,
    database,
    client,
    worker,
    async call(method, path, body, key = adminKey) {
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker.shutdown();
      await running;
      await database.drop();
    },
  };
  return stack;
}
