import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import type { AppConfig } from '../../config';
import { startEasyPostEmulator, type RunningEasyPostEmulator } from '../../emulators/easypost/server';
import { createApp } from '../../api/app';
import { prepareDatabase } from '../../api/bootstrap';
import { buildApiDeps } from '../../api/buildDeps';
import type { ApiDeps } from '../../api/deps';
import { createWebhookRelay, type WebhookRelay } from '../../webhooks/relay';
import type { BuiltDependencies } from '../../workers/dependencies';
import { startLocalTaxEngines } from '../../scripts/taxEngineEmulators';
import { startTestWorker } from './worker';
import { testDatabase, type TestDatabase } from './database';
import { testConfig } from './temporal';

export interface TestStack {
  cfg: AppConfig;
  baseUrl: string;
  adminKey: string;
  database: TestDatabase;
  client: Client;
  worker: Worker;
  relay: WebhookRelay;
  apiDeps: ApiDeps;
  /** The worker's real dependencies (token store, TikTok client, notifier…). */
  deps: BuiltDependencies;
  /** The EasyPost emulator the stack tracks parcels with (unless EASYPOST_API_KEY was given), its webhooks to us. */
  easypost?: RunningEasyPostEmulator;
  /** fetch against the API with a key (admin by default). */
  call(
    method: string,
    path: string,
    body?: unknown,
    key?: string | null,
    extraHeaders?: Record<string, string>,
  ): Promise<{ status: number; json: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** The API and a worker in this process, on a fresh database and a unique task queue of the given environment. */
export async function startTestStack(
  env: TestWorkflowEnvironment,
  overrides: Record<string, string> = {},
  opts: { port?: number; activities?: Parameters<typeof startTestWorker>[1]['activities'] } = {},
) {
  // Every request of a test comes from 127.0.0.1: the per-address limit on failed authentications (tested in
  // test/workflow/webhookIntake.test.ts) would turn the route tables' many 401s into 429s.
  // The AvaTax and TaxJar emulators stand in for engines the test does not configure, as in `npm start`.
  const taxEngines = await startLocalTaxEngines({
    AVATAX_ACCOUNT_ID: overrides.AVATAX_ACCOUNT_ID,
    AVATAX_BASE_URL: overrides.AVATAX_BASE_URL,
    AVATAX_COMPANY_CODE: overrides.AVATAX_COMPANY_CODE ?? 'DEFAULT',
    TAXJAR_API_KEY: overrides.TAXJAR_API_KEY,
    TAXJAR_API_URL: overrides.TAXJAR_API_URL,
  });
  // Carrier tracking runs against the EasyPost emulator, as `npm start` does without an EasyPost key.
  const easypost = overrides.EASYPOST_API_KEY
    ? undefined
    : await startEasyPostEmulator({ apiKeys: ['EZTK_test'], tickMs: 100 });
  const easypostEnv: Record<string, string> = easypost
    ? {
        EASYPOST_API_KEY: 'EZTK_test',
        EASYPOST_API_BASE_URL: easypost.baseUrl,
        EASYPOST_WEBHOOK_SECRET: 'easypost-test-webhook-secret',
      }
    : {};
  const cfg = testConfig({ AUTH_FAILURE_LIMIT: '1000000', ...taxEngines.env, ...easypostEnv, ...overrides });
  const database = await testDatabase();
  const { adminKey } = await prepareDatabase(cfg, database.db);
  const testWorker = await startTestWorker(env, { cfg, db: database.db, activities: opts.activities });
  const client = testWorker.client;
  const logger = pino({ level: 'silent' });
  const relay = createWebhookRelay({
    db: database.db,
    databaseUrl: database.url,
    temporal: client,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    logger,
    pollMs: 200,
  });
  await relay.start();
  const apiDeps = buildApiDeps(cfg, { db: database.db, temporal: client, logger });
  const app = createApp(apiDeps);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (easypost && cfg.EASYPOST_WEBHOOK_SECRET) {
    easypost.setWebhook({ url: `${baseUrl}/webhooks/easypost`, secret: cfg.EASYPOST_WEBHOOK_SECRET });
  }

  const stack: TestStack = {
    cfg,
    baseUrl,
    adminKey,
    database,
    client,
    worker: testWorker.worker,
    relay,
    apiDeps,
    deps: testWorker.deps,
    easypost,
    async call(method, path, body, key = adminKey, extraHeaders = {}) {
      const headers: Record<string, string> = { ...extraHeaders };
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.stop();
      await testWorker.stop();
      await easypost?.close();
      await database.drop();
      await taxEngines.stop();
    },
  };
  return stack;
}
