import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { temporal } from '@temporalio/proto';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number; // omitted: headless
  namespace: string;
  /** SQLite file; omitted: in memory. */
  dbFile?: string;
  codecEndpoint?: string;
  logFile?: string;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Task priority keys of the embedded dev server (the app's TEMPORAL_PRIORITY_LEVELS when it runs on it). */
export const DEV_SERVER_PRIORITY_LEVELS = 100;

/**
 * Starts `temporal server start-dev` as a child process and waits until it answers.
 * SQLite in WAL mode with synchronous=normal more than doubles throughput on a file database (measured here: 18/s
 * without, 44/s with), and the new matcher is what makes task priority work on server 1.29.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'matching.useNewMatcher=true',
    // Deadline-ordered task priority (workflows/shared/taskPriority.ts): processes on this server get the same count.
    '--dynamic-config-value',
    `matching.priorityLevels=${DEV_SERVER_PRIORITY_LEVELS}`,
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    // A worker that schedules an activity and has a free slot gets the task back in the same response, without a
    // trip through matching: less work for the one-process dev server, whose persistence is the bottleneck.
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
  ];
  if (opts.dbFile) {
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=wal',
      '--sqlite-pragma',
      'synchronous=normal',
    );
  }
  if (opts.uiPort) {
    args.push('--ui-port', String(opts.uiPort));
    if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  } else {
    args.push('--headless');
  }
  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', out, out] });
  const address = `127.0.0.1:${opts.port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await waitForTemporal(address, 60_000, () => exited);
  return {
    address,
    process: child,
    stop: () => stopChild(child),
  };
}

export async function waitForTemporal(address: string, timeoutMs: number, failed: () => boolean = () => false) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (failed()) throw new Error(`Temporal server at ${address} exited during start-up`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`Temporal server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Registers custom search attributes on a namespace; attributes that already exist are left as they are. Names in
 * `retire` that are registered are removed first: SQL visibility has a fixed number of slots per type, so a set that
 * replaced another only fits once the old one is gone (workflows/shared/searchAttributes.ts RETIRED_SEARCH_ATTRIBUTES).
 */
export async function registerSearchAttributes(
  connection: Connection,
  namespace: string,
  keys: readonly SearchAttributeKey<SearchAttributeType>[],
  retire: readonly string[] = [],
): Promise<void> {
  // The Java test server has no ListSearchAttributes; then every key is added and "already exists" is fine.
  const known = await connection.operatorService
    .listSearchAttributes({ namespace })
    .then((r) => new Set(Object.keys(r.customAttributes ?? {})))
    .catch((err: { code?: number }) => {
      if (err.code === 12 /* UNIMPLEMENTED */) return new Set<string>();
      throw err;
    });
  const retiring = retire.filter((name) => known.has(name));
  if (retiring.length > 0) {
    await connection.operatorService.removeSearchAttributes({ namespace, searchAttributes: retiring });
    for (const name of retiring) known.delete(name);
  }
  const wanted: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of keys) {
    if (known.has(key.name)) continue;
    const metadataType = TypedSearchAttributes.toMetadataType(key.type);
    wanted[key.name] = indexedValueType(metadataType);
  }
  if (Object.keys(wanted).length === 0) return;
  await connection.operatorService
    .addSearchAttributes({ namespace, searchAttributes: wanted })
    .catch((err: { code?: number }) => {
      if (err.code !== 6 /* ALREADY_EXISTS */) throw err;
    });
}

function indexedValueType(metadataType: string): temporal.api.enums.v1.IndexedValueType {
  const t = temporal.api.enums.v1.IndexedValueType;
  switch (metadataType) {
    case 'Text':
      return t.INDEXED_VALUE_TYPE_TEXT;
    case 'Keyword':
      return t.INDEXED_VALUE_TYPE_KEYWORD;
    case 'Int':
      return t.INDEXED_VALUE_TYPE_INT;
    case 'Double':
      return t.INDEXED_VALUE_TYPE_DOUBLE;
    case 'Bool':
      return t.INDEXED_VALUE_TYPE_BOOL;
    case 'Datetime':
      return t.INDEXED_VALUE_TYPE_DATETIME;
    case 'KeywordList':
      return t.INDEXED_VALUE_TYPE_KEYWORD_LIST;
    default:
      throw new Error(`unknown search attribute type ${metadataType}`);
  }
}
