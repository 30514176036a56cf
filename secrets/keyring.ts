import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config';

/**
 * A named set of 256-bit keys with one active key id, for AES-256-GCM.
 * Format in the environment: `id1:base64key,id2:base64key` (the active id chosen separately).
 */
export interface Keyring {
  activeKeyId: string;
  keys: Map<string, Buffer>;
}

export class SecretsError extends Error {
  override name = 'SecretsError';
}

export function parseKeyring(spec: string, activeKeyId: string | undefined, variable: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) throw new SecretsError(`${variable}: expected "keyId:base64Key" entries separated by commas`);
    const id = part.slice(0, idx);
    const key = Buffer.from(part.slice(idx + 1), 'base64');
    if (key.length !== 32) throw new SecretsError(`${variable}: key "${id}" must be 32 bytes (base64 of 256 bits)`);
    keys.set(id, key);
  }
  const first = keys.keys().next();
  const active = activeKeyId ?? (first.done ? undefined : first.value);
  if (!active || !keys.has(active)) throw new SecretsError(`${variable}: the active key id "${active}" has no key`);
  return { activeKeyId: active, keys };
}

export function formatKeyring(ring: Keyring): string {
  return [...ring.keys].map(([id, k]) => `${id}:${k.toString('base64')}`).join(',');
}

/**
 * Loads a keyring from the environment; for the embedded default (not production) it is generated once and kept in
 * DATA_DIR/secrets with owner-only permissions. The same handling serves every secret the product stores.
 */
export function loadOrCreateKeyring(
  cfg: Pick<AppConfig, 'DATA_DIR' | 'NODE_ENV'>,
  name: string,
  fromEnv: string | undefined,
  activeFromEnv: string | undefined,
  variable: string,
): Keyring {
  if (fromEnv) return parseKeyring(fromEnv, activeFromEnv, variable);
  if (cfg.NODE_ENV === 'production') throw new SecretsError(`${variable} must be set in production`);
  const file = path.join(cfg.DATA_DIR, 'secrets', `${name}.keys`);
  if (fs.existsSync(file)) return parseKeyring(fs.readFileSync(file, 'utf8').trim(), undefined, file);
  const id = `${name}-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  const ring: Keyring = { activeKeyId: id, keys: new Map([[id, crypto.randomBytes(32)]]) };
  if (writeSecretFile(file, formatKeyring(ring))) return ring;
  return parseKeyring(fs.readFileSync(file, 'utf8').trim(), undefined, file);
}

/**
 * SECRETS_ENCRYPTION_KEY: secrets and data at rest in PostgreSQL (tokens, warehouse payloads, stored files). The API
 * and the workers load the same keyring (with the embedded default: the same generated file in DATA_DIR).
 */
export function loadSecretsKeyring(cfg: Pick<AppConfig, 'DATA_DIR' | 'NODE_ENV' | 'SECRETS_ENCRYPTION_KEY'>): Keyring {
  return loadOrCreateKeyring(cfg, 'secrets', cfg.SECRETS_ENCRYPTION_KEY, undefined, 'SECRETS_ENCRYPTION_KEY');
}

/** Reads a single secret value from the environment, else from (or newly into) DATA_DIR/secrets/<name>. */
export function loadOrCreateSecret(
  cfg: Pick<AppConfig, 'DATA_DIR' | 'NODE_ENV'>,
  name: string,
  fromEnv: string | undefined,
  variable: string,
  generate: () => string,
): { value: string; generated: boolean; file?: string } {
  if (fromEnv) return { value: fromEnv, generated: false };
  if (cfg.NODE_ENV === 'production') throw new SecretsError(`${variable} must be set in production`);
  const file = path.join(cfg.DATA_DIR, 'secrets', name);
  if (fs.existsSync(file)) return { value: fs.readFileSync(file, 'utf8').trim(), generated: false, file };
  const value = generate();
  if (writeSecretFile(file, value)) return { value, generated: true, file };
  return { value: fs.readFileSync(file, 'utf8').trim(), generated: false, file };
}

/** Writes a new secret file; false when another process created it first (then that one wins). */
function writeSecretFile(file: string, content: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${content}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
}

/** AES-256-GCM with a random 96-bit IV: output = iv(12) || ciphertext || tag(16). */
export function encrypt(key: Buffer, plaintext: Uint8Array): Buffer {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function decrypt(key: Buffer, data: Uint8Array): Buffer {
  const buf = Buffer.from(data);
  if (buf.length < 28) throw new SecretsError('ciphertext too short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(buf.length - 16));
  return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
}
