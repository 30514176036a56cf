// Which API and key the local tools (demo runner, CLI) use beside `npm start` (config/opsApi.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { opsApiTarget, OpsApiTargetError } from '../../config/opsApi';

const saved = { url: process.env.OPS_API_URL, key: process.env.OPS_API_KEY };
afterEach(() => {
  for (const [name, value] of [
    ['OPS_API_URL', saved.url],
    ['OPS_API_KEY', saved.key],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const dataDir = (key?: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-api-'));
  if (key !== undefined) {
    fs.mkdirSync(path.join(dir, 'secrets'));
    fs.writeFileSync(path.join(dir, 'secrets', 'admin-api-key'), `${key}\n`);
  }
  return dir;
};

test('beside npm start: the API on API_PORT and the admin key file npm start keeps', () => {
  delete process.env.OPS_API_URL;
  delete process.env.OPS_API_KEY;
  const dir = dataDir('tso_admin_from_file');
  assert.deepEqual(opsApiTarget({ API_PORT: 3456, DATA_DIR: dir, ADMIN_API_KEY: undefined }), {
    url: 'http://127.0.0.1:3456',
    key: 'tso_admin_from_file',
    keySource: path.join(dir, 'secrets', 'admin-api-key'),
  });
  // ADMIN_API_KEY is the admin key when set (npm start then writes no file).
  assert.equal(opsApiTarget({ API_PORT: 3456, DATA_DIR: dir, ADMIN_API_KEY: 'from-env' }).key, 'from-env');
});

test('OPS_API_URL and OPS_API_KEY win; without any key the error says where npm start keeps it', () => {
  process.env.OPS_API_URL = 'https://ops.example.com/';
  process.env.OPS_API_KEY = 'tso_operator';
  assert.deepEqual(opsApiTarget({ API_PORT: 3000, DATA_DIR: dataDir('file-key'), ADMIN_API_KEY: 'env-key' }), {
    url: 'https://ops.example.com',
    key: 'tso_operator',
    keySource: 'OPS_API_KEY',
  });
  delete process.env.OPS_API_KEY;
  const empty = dataDir();
  assert.throws(
    () => opsApiTarget({ API_PORT: 3000, DATA_DIR: empty, ADMIN_API_KEY: undefined }),
    (err: Error) =>
      err instanceof OpsApiTargetError && err.message.includes(path.join(empty, 'secrets', 'admin-api-key')),
  );
});
