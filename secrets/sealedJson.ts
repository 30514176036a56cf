import { decrypt, encrypt, SecretsError, type Keyring } from './keyring';

/**
 * A JSON value encrypted for a jsonb column: AES-256-GCM with the secrets keyring (SECRETS_ENCRYPTION_KEY), the key
 * id kept beside the ciphertext so keys can rotate. Used for buyer data at rest (the warehouse outbox payload: name,
 * address, buyer message; issue 13 item 7): a database dump or a read-only SQL user sees no buyer.
 */
export interface SealedJson {
  sealed: 'aes-256-gcm';
  keyId: string;
  data: string;
}

export function sealJson(ring: Keyring, value: unknown): SealedJson {
  const key = ring.keys.get(ring.activeKeyId)!;
  const data = encrypt(key, Buffer.from(JSON.stringify(value), 'utf8')).toString('base64');
  return { sealed: 'aes-256-gcm', keyId: ring.activeKeyId, data };
}

export function isSealedJson(stored: unknown): stored is SealedJson {
  return (
    typeof stored === 'object' &&
    stored !== null &&
    (stored as SealedJson).sealed === 'aes-256-gcm' &&
    typeof (stored as SealedJson).keyId === 'string' &&
    typeof (stored as SealedJson).data === 'string'
  );
}

/** The value of a sealed column; a row written before sealing (plain JSON) is returned as it is. */
export function openJson<T>(ring: Keyring, stored: unknown): T {
  if (!isSealedJson(stored)) return stored as T;
  const key = ring.keys.get(stored.keyId);
  if (!key) throw new SecretsError(`sealed value uses unknown key id "${stored.keyId}"`);
  return JSON.parse(decrypt(key, Buffer.from(stored.data, 'base64')).toString('utf8')) as T;
}

/** The keyring the warehouse outbox is sealed with; every worker has one (ActivityDeps), test doubles may not. */
export function outboxKeyring(deps: { secretsKeyring?: Keyring }): Keyring {
  if (!deps.secretsKeyring)
    throw new SecretsError('the warehouse outbox needs secretsKeyring (SECRETS_ENCRYPTION_KEY)');
  return deps.secretsKeyring;
}
