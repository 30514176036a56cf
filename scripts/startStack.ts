/**
 * `npm start`: the whole stack on the embedded defaults (or on TEMPORAL_ADDRESS / DATABASE_URL when set).
 * PostgreSQL, the Temporal dev server with its Web UI, the worker and the API (+ codec endpoint); Ctrl-C stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ConfigError, loadConfig, REPO_ROOT, type AppConfig } from '../config';
import { tiktokSettings } from '../config/tiktok';
import { temporalCliPath } from '../config/tools';
import { createDb } from '../db/knex';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embeddedPostgres';
import { adminKeyLocation, prepareDatabase } from '../api/bootstrap';
import { createDataConverter } from '../temporal/connection';
import {
  DEV_SERVER_PRIORITY_LEVELS,
  registerSearchAttributes,
  startDevServer,
  stopChild,
  waitForTemporal,
  type DevServer,
} from '../temporal/devServer';
import { ALL_SEARCH_ATTRIBUTES, RETIRED_SEARCH_ATTRIBUTES } from '../workflows/shared/searchAttributes';
import { ensureDatabase } from '../db/ensureDatabase';
import { startLocalTaxEngines } from './taxEngineEmulators';

const say = (msg: string) => process.stdout.write(`[stack] ${msg}\n`);

/** Starts emulators/easypost/main.js; returns the EASYPOST_* settings that point the product at it. */
async function startEasyPostEmulatorChild(
  cfg: AppConfig,
  logDir: string,
  stoppers: (() => Promise<void>)[],
  stopAll: (code: number) => Promise<void>,
): Promise<Record<string, string>> {
  const settings = {
    EASYPOST_API_KEY: 'EZTK_emulator',
    EASYPOST_API_BASE_URL: `http://127.0.0.1:${cfg.EASYPOST_EMULATOR_PORT}/v2/`,
    EASYPOST_WEBHOOK_SECRET: cfg.EASYPOST_WEBHOOK_SECRET ?? crypto.randomBytes(24).toString('hex'),
  };
  const child = startNode(
    'easypost',
    'dist/emulators/easypost/main.js',
    {
      ...process.env,
      EASYPOST_EMULATOR_PORT: String(cfg.EASYPOST_EMULATOR_PORT),
      EASYPOST_EMULATOR_API_KEY: settings.EASYPOST_API_KEY,
      EASYPOST_EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${cfg.API_PORT}/webhooks/easypost`,
      EASYPOST_WEBHOOK_SECRET: settings.EASYPOST_WEBHOOK_SECRET,
    },
    () => void stopAll(1),
    path.join(logDir, 'easypost-emulator.log'),
  );
  stoppers.push(() => stopChild(child));
  await waitForHttp(`http://127.0.0.1:${cfg.EASYPOST_EMULATOR_PORT}/__admin/health`, 30_000);
  return settings;
}

async function main(): Promise<void> {
  const cfg = loadConfig();
  fs.mkdirSync(cfg.DATA_DIR, { recursive: true });
  const logDir = path.join(cfg.DATA_DIR, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const stoppers: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const stop of stoppers.reverse()) await stop().catch((e: unknown) => say(`stop failed: ${String(e)}`));
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    // 1. PostgreSQL
    let databaseUrl = cfg.DATABASE_URL;
    if (!databaseUrl) {
      say('starting embedded PostgreSQL 17…');
      const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({
        dataDir: path.join(cfg.DATA_DIR, 'postgres'),
        port: cfg.EMBEDDED_PG_PORT,
        passwordFile: path.join(cfg.DATA_DIR, 'secrets', 'postgres-password'),
      });
      stoppers.push(() => pg.stop());
      databaseUrl = await ensureDatabase(pg.url, 'tiktok_shop_ops');
      say(`PostgreSQL ready (data in ${pg.dataDir})`);
    }
    const db = createDb(databaseUrl, 2);
    const { adminKeyFile } = await prepareDatabase(cfg, db);
    await db.destroy();
    // Generates the payload key on first start so every process below reads the same one.
    createDataConverter(cfg);

    // 2. Temporal
    let temporalAddress = cfg.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      say('starting the Temporal dev server…');
      const dev: DevServer = await startDevServer({
        cliPath: temporalCliPath(),
        port: cfg.TEMPORAL_DEV_PORT,
        uiPort: cfg.TEMPORAL_UI_PORT,
        namespace: cfg.TEMPORAL_NAMESPACE,
        dbFile: path.join(cfg.DATA_DIR, 'temporal.sqlite'),
        codecEndpoint: `http://${cfg.CODEC_HOST === '0.0.0.0' ? '127.0.0.1' : cfg.CODEC_HOST}:${cfg.CODEC_PORT}`,
        logFile: path.join(logDir, 'temporal.log'),
      });
      stoppers.push(() => dev.stop());
      temporalAddress = dev.address;
    } else {
      await waitForTemporal(temporalAddress, 30_000);
    }
    if (cfg.embedded.temporal) {
      const conn = await Connection.connect({ address: temporalAddress });
      // A SQLite file from before issue 14 still holds the per-process attributes: they give way to the shared set.
      await registerSearchAttributes(conn, cfg.TEMPORAL_NAMESPACE, ALL_SEARCH_ATTRIBUTES, RETIRED_SEARCH_ATTRIBUTES);
      await conn.close();
    }

    // 3. The TikTok Shop emulator stands in for TikTok when no real app credentials are configured.
    const tiktok = tiktokSettings(cfg);
    const runEmulator = !cfg.TIKTOK_APP_KEY && !cfg.TIKTOK_API_BASE_URL;
    if (runEmulator) {
      const emulator = startNode(
        'emulator',
        'dist/emulators/tiktok-shop/main.js',
        {
          ...process.env,
          EMULATOR_PORT: String(cfg.EMULATOR_PORT),
          TIKTOK_APP_KEY: tiktok.appKey,
          TIKTOK_APP_SECRET: tiktok.appSecret,
          EMULATOR_REDIRECT_URL: `${tiktok.publicBaseUrl}/oauth/tiktok/callback`,
        },
        () => void stopAll(1),
        path.join(logDir, 'emulator.log'),
      );
      stoppers.push(() => stopChild(emulator));
      await waitForHttp(`http://127.0.0.1:${cfg.EMULATOR_PORT}/__admin/health`, 30_000);
    }

    // 3b. AvaTax and TaxJar emulators for the engines without real credentials (issue 20).
    const taxEngines = await startLocalTaxEngines(cfg);
    stoppers.push(() => taxEngines.stop());
    // 3c. The EasyPost emulator stands in for EasyPost when no API key is configured; its webhooks come to our API
    // signed with a secret made for this run (both ends read it from the environment set here).
    const easypost = cfg.EASYPOST_API_KEY ? {} : await startEasyPostEmulatorChild(cfg, logDir, stoppers, stopAll);

    // 4. Worker, webhook relay and API, as separate processes like in a deployment.
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...taxEngines.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      ...easypost,
    };
    if (cfg.embedded.temporal) childEnv.TEMPORAL_PRIORITY_LEVELS ??= String(DEV_SERVER_PRIORITY_LEVELS);
    // The relay runs as its own process (its own event loop), as docker-compose does; WEBHOOK_RELAY_IN_WORKER=true
    // in the environment keeps it inside the worker instead.
    const relayOwnProcess = process.env.WEBHOOK_RELAY_IN_WORKER === undefined || !cfg.WEBHOOK_RELAY_IN_WORKER;
    const workerEnv = relayOwnProcess ? { ...childEnv, WEBHOOK_RELAY_IN_WORKER: 'false' } : childEnv;
    const worker = startNode('worker', 'dist/workers/main.js', workerEnv, () => void stopAll(1));
    stoppers.push(() => stopChild(worker));
    if (relayOwnProcess) {
      const relay = startNode('relay', 'dist/workers/relay.js', childEnv, () => void stopAll(1));
      stoppers.push(() => stopChild(relay));
    }
    const api = startNode('api', 'dist/api/main.js', childEnv, () => void stopAll(1));
    stoppers.push(() => stopChild(api));
    await waitForHttp(`http://127.0.0.1:${cfg.API_PORT}/healthz`, 60_000);

    const host = 'http://localhost';
    say('');
    say('TikTok Shop ops back office is running');
    say(`  API            ${host}:${cfg.API_PORT}   (GET /healthz)`);
    if (cfg.embedded.temporal) say(`  Temporal UI    ${host}:${cfg.TEMPORAL_UI_PORT}`);
    say(`  Temporal gRPC  ${temporalAddress}   namespace ${cfg.TEMPORAL_NAMESPACE}`);
    say(
      `  Codec endpoint http://${cfg.CODEC_HOST}:${cfg.CODEC_PORT}   (${cfg.CODEC_AUTH === 'none' ? 'loopback, no auth' : 'API key'})`,
    );
    say(`  PostgreSQL     ${redactUrl(databaseUrl)}`);
    say(`  Admin API key  ${adminKeyLocation(adminKeyFile).where}   (the key is not printed)`);
    if (runEmulator)
      say(`  TikTok emulator http://127.0.0.1:${cfg.EMULATOR_PORT}   (demo shop seeded; state in memory)`);
    for (const line of taxEngines.lines) say(`  ${line}`);
    if (!cfg.EASYPOST_API_KEY)
      say(`  EasyPost emulator ${easypost.EASYPOST_API_BASE_URL}   (tracking stories; state in memory)`);
    say(`  Logs           ${logDir}`);
    if (runEmulator) {
      say('');
      say('Connect the demo shop (open the printed url in a browser, or follow it with curl -L):');
      say(
        `  curl -s -XPOST ${host}:${cfg.API_PORT}/v1/tiktok/authorization-links -H "Authorization: Bearer ${adminKeyLocation(adminKeyFile).shell}"`,
      );
      say('Then place orders in the emulator:  npm run emulator:orders -- 5');
    }
    say('Press Ctrl-C to stop.');
  } catch (err) {
    say(err instanceof ConfigError ? err.message : `start failed: ${(err as Error).stack ?? String(err)}`);
    await stopAll(1);
  }
}

function startNode(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  onCrash: () => void,
  logFile?: string,
): ChildProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      if (log) {
        log.write(chunk);
        return;
      }
      for (const line of chunk.toString('utf8').split('\n')) if (line) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) {
      say(`${name} exited with code ${code}`);
      onCrash();
    }
  });
  return child;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:***@');
}

void main();
