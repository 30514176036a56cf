/**
 * `npm run reset`: deletes the local install's data (DATA_DIR, and the embedded PostgreSQL cluster wherever it lives:
 * as root it may be under /var/lib/tiktok-shop-ops, see db/embeddedPostgres.ts). Stop `npm start` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { postgresLayout } from '../db/embeddedPostgres';

/** The folders a reset removes, and whether the cluster is still running. */
export function resetPlan(dataRoot: string, opts: { isRoot?: boolean; relocatedBase?: string } = {}) {
  const layout = postgresLayout({
    dataDir: path.join(dataRoot, 'postgres'),
    passwordFile: path.join(dataRoot, 'secrets', 'postgres-password'),
    ...opts,
  });
  const pidFile = path.join(layout.dataDir, 'postmaster.pid');
  let running = false;
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      running = pid > 0 && process.kill(pid, 0);
    } catch {
      running = false;
    }
  }
  return { remove: [dataRoot, ...(layout.relocatedRoot ? [layout.relocatedRoot] : [])], running };
}

function main(): void {
  const cfg = loadConfig();
  const plan = resetPlan(cfg.DATA_DIR);
  if (plan.running) {
    console.error('[reset] the embedded PostgreSQL is running: stop `npm start` first (Ctrl-C)');
    process.exit(1);
  }
  for (const dir of plan.remove) {
    if (!fs.existsSync(dir)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`[reset] removed ${dir}`);
  }
  console.log('[reset] done: the next `npm start` begins with empty data and new generated secrets');
}

if (require.main === module) main();
