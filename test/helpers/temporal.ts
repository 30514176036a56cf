import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../config';
import { createDataConverter } from '../../temporal/connection';
import { registerSearchAttributes } from '../../temporal/devServer';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/shared/searchAttributes';
import { startTimeSkippingServer } from '../../scripts/testServices';
import { WORKFLOWS_PATH } from '../../workers/createWorker';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** Workflow environment on the run's shared dev server (Schedules, visibility, search attributes). */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run tests with `npm test`');
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: 'default' });
}

/**
 * Time-skipping environment on a Java test server of its own, started for this call and stopped by `teardown()`.
 * Use one per test: time skipping is global to a server, and a workflow terminated while one of its tasks is in
 * flight can leave a server's time-skipping lock held (the server then never skips again), so a shared server lets
 * one test stall every later one. The SDK's public factory spawns the server itself but takes no channel options;
 * `create` with an existing address is the same code path without the spawn (private in TS, pinned SDK).
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const server = await startTimeSkippingServer();
  try {
    const factory = TestWorkflowEnvironment as unknown as {
      create(opts: object): Promise<TestWorkflowEnvironment>;
    };
    const env = await factory.create({
      server: { type: 'existing' },
      address: server.address,
      namespace: 'default',
      supportsTimeSkipping: true,
      // The Java test server (grpc-java defaults) allows a client keepalive ping only every 5 minutes and answers
      // more frequent ones with GOAWAY "too_many_pings", which cuts a time-skipping sleep in the middle once a test
      // has run for a minute or two. The SDK's client pings every 30 s, even when idle: ping far less often.
      connectionOptions: {
        channelArgs: { 'grpc.keepalive_time_ms': 10 * 60_000, 'grpc.keepalive_permit_without_calls': 0 },
      },
    });
    // The test server refuses custom search attributes until they are registered.
    await registerSearchAttributes(env.connection, 'default', ALL_SEARCH_ATTRIBUTES);
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      try {
        await teardown();
      } finally {
        await server.stop();
      }
    };
    return env;
  } catch (err) {
    await server.stop();
    throw err;
  }
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (bundling costs seconds; starting a worker does not). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  return bundle;
}

/** A configuration for tests: its own data folder (generated keys), a unique task queue. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-cfg-'));
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    TEMPORAL_TASK_QUEUE: `test-${crypto.randomBytes(4).toString('hex')}`,
    ...overrides,
  });
}

/** A client with the product's encryption codec, on an environment's connection. */
export function encryptedClient(env: TestWorkflowEnvironment, cfg: AppConfig): Client {
  return new Client({ connection: env.connection, namespace: 'default', dataConverter: createDataConverter(cfg) });
}

/** A worker on the test configuration's task queue with the product's workflow bundle and codec, running `activities`. */
export async function bundledWorker(env: TestWorkflowEnvironment, cfg: AppConfig, activities: object): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities,
    dataConverter: createDataConverter(cfg),
  });
}

/** Polls `fn` every 25 ms until it returns a value, for at most 20 s (fakes' records, not the clock under test). */
export async function until<T>(what: string, fn: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const uniqueId = (prefix: string): string => `${prefix}-${crypto.randomBytes(5).toString('hex')}`;

/** The ApplicationFailure inside an update's or workflow's failure chain (its `type` names the refusal). */
export function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  let e: unknown = err;
  while (e instanceof Error) {
    if (e instanceof ApplicationFailure) return e;
    e = e.cause;
  }
  return undefined;
}
