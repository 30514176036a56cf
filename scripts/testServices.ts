/**
 * The services one test run shares: an embedded PostgreSQL (each test file creates its own database on it) and one
 * Temporal dev server, on free ports so tests pass while `npm start` runs. Time-skipping tests start their own Java
 * test server (startTimeSkippingServer), one per test: time skipping is global to a server, and a workflow
 * terminated while one of its tasks is in flight can leave that server's time-skipping lock held for good.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath, timeSkippingServerPath } from '../config/tools';
import { freePort, startEmbeddedPostgres } from '../db/embeddedPostgres';
import { registerSearchAttributes, startDevServer, stopChild } from '../temporal/devServer';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/shared/searchAttributes';

export interface TestServices {
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  /** Keep the dev server's data in a SQLite file (with WAL), as `npm start` does, instead of in memory. */
  temporalOnDisk?: boolean;
}

export async function startTestServices(
  log: (msg: string) => void,
  opts: TestServiceOptions = {},
): Promise<TestServices> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
  };
  try {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiktok-shop-ops-test-'));
    fs.chmodSync(workDir, 0o755);
    stoppers.push(() => Promise.resolve(fs.rmSync(workDir, { recursive: true, force: true })));

    let started = Date.now();
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(workDir, 'postgres'),
      port: await freePort(),
      passwordFile: path.join(workDir, 'pg-password'),
    });
    stoppers.push(() => pg.stop());
    log(`PostgreSQL ready in ${Date.now() - started} ms`);

    started = Date.now();
    const dev = await startDevServer({
      cliPath: temporalCliPath(),
      port: await freePort(),
      namespace: 'default',
      logFile: path.join(workDir, 'temporal-dev.log'),
      dbFile: opts.temporalOnDisk ? path.join(workDir, 'temporal.sqlite') : undefined,
    });
    stoppers.push(() => dev.stop());
    const conn = await Connection.connect({ address: dev.address });
    await registerSearchAttributes(conn, 'default', ALL_SEARCH_ATTRIBUTES);
    await conn.close();
    log(`Temporal dev server ready in ${Date.now() - started} ms at ${dev.address}`);

    const env: Record<string, string> = {
      TEST_DATABASE_ADMIN_URL: pg.url,
      TEST_TEMPORAL_ADDRESS: dev.address,
      TEST_WORK_DIR: workDir,
    };
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A Java time-skipping test server of its own on a free port (about half a second to open it). */
export async function startTimeSkippingServer(): Promise<{ address: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(timeSkippingServerPath(), [String(port)], { stdio: 'ignore' });
  try {
    await waitForPort(port, 30_000, child);
  } catch (err) {
    await stopChild(child, 2_000);
    throw err;
  }
  return { address: `127.0.0.1:${port}`, stop: () => stopChild(child, 5_000) };
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before opening port ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}
