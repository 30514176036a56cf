import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './index';

/** The file in DATA_DIR/secrets where `npm start` keeps the generated bootstrap admin key (api/bootstrap.ts). */
export const ADMIN_KEY_SECRET = 'admin-api-key';

/** Which API a local tool (the demo runner, the CLI) talks to, and with which key. */
export interface OpsApiTarget {
  url: string;
  key: string;
  /** Where the key came from, for error messages (never the key itself). */
  keySource: string;
}

export class OpsApiTargetError extends Error {
  override name = 'OpsApiTargetError';
}

/**
 * OPS_API_URL (default: this machine's API_PORT) and OPS_API_KEY (default: ADMIN_API_KEY, else the admin key file
 * that `npm start` writes), so a tool run beside `npm start` needs no setup.
 */
export function opsApiTarget(cfg: Pick<AppConfig, 'API_PORT' | 'DATA_DIR' | 'ADMIN_API_KEY'>): OpsApiTarget {
  const url = (process.env.OPS_API_URL || `http://127.0.0.1:${cfg.API_PORT}`).replace(/\/+$/, '');
  const fromEnv = process.env.OPS_API_KEY;
  if (fromEnv) return { url, key: fromEnv, keySource: 'OPS_API_KEY' };
  if (cfg.ADMIN_API_KEY) return { url, key: cfg.ADMIN_API_KEY, keySource: 'ADMIN_API_KEY' };
  const file = path.join(cfg.DATA_DIR, 'secrets', ADMIN_KEY_SECRET);
  let key = '';
  try {
    key = fs.readFileSync(file, 'utf8').trim();
  } catch {
    // No file: said below.
  }
  if (!key) {
    throw new OpsApiTargetError(
      `no API key: set OPS_API_KEY, or start the stack with \`npm start\` (it keeps its admin key in ${file})`,
    );
  }
  return { url, key, keySource: file };
}
