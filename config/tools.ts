import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '.';

// Where scripts/ensure-installed.js puts the Temporal binaries (an ignored folder, reused once built).
export const TOOLS_DIR = path.resolve(REPO_ROOT, process.env.TOOLS_DIR ?? '.tools');
export const TEST_SERVER_VERSION = '1.38.0';

export function temporalCliPath(): string {
  const p = path.join(TOOLS_DIR, 'bin', 'temporal');
  if (!fs.existsSync(p)) throw new Error(`Temporal CLI missing at ${p}: run \`npm run tools\``);
  return p;
}

export function timeSkippingServerPath(): string {
  const p = path.join(TOOLS_DIR, `temporal-test-server-${TEST_SERVER_VERSION}`, 'temporal-test-server');
  if (!fs.existsSync(p)) throw new Error(`time-skipping test server missing at ${p}: run \`npm run tools\``);
  return p;
}
