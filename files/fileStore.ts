import crypto from 'node:crypto';
import type { Db } from '../db/knex';
import { createStoredFileRepository, type StoredFileMetaRow } from '../db/storedFiles';
import { decrypt, encrypt, SecretsError, type Keyring } from '../secrets/keyring';
import { acceptedTypes, purposeProblem, sniffContent, sniffCsv } from './contentType';

/**
 * One file store for every process (issue 15 item 4): files in PostgreSQL, sealed with the secrets keyring, addressed by
 * the SHA-256 of their content, per shop, kept until their expiry (the `retention` workflow deletes them after).
 * Workflows pass file ids, never bytes.
 */
export interface StoredFile {
  /** SHA-256 (hex) of the plaintext. */
  fileId: string;
  shopId: string;
  mimeType: string;
  sizeBytes: number;
  width?: number;
  height?: number;
  /** What the file is for: 'evidence' (images for Reject Return) or another process's word ('certificate', …). */
  purpose: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface PutOptions {
  /** 'evidence' (images for TikTok: JPEG, PNG, WebP within its pixel limits) or another process's word (PDF too). */
  purpose: string;
  /** Who stored it (an API key's name, a workflow id). */
  createdBy: string;
  /** Days from now the file is kept; default FILE_RETENTION_DAYS. */
  retainDays?: number;
}

/** A file over the store's size cap (the API answers 413). */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`the file has ${sizeBytes} bytes; at most ${maxBytes} (FILE_MAX_BYTES)`);
  }
}

/** Content of a type the purpose does not take, or not an image TikTok would take (the API answers 415 / 422). */
export class UnsupportedFileError extends Error {
  override name = 'UnsupportedFileError';
  constructor(
    message: string,
    readonly reason: 'type' | 'dimensions',
  ) {
    super(message);
  }
}

export interface FileStore {
  readonly maxBytes: number;
  /** Stores the bytes (or extends the expiry of the same bytes stored before); `created` false for the latter. */
  put(shopId: string, bytes: Buffer, opts: PutOptions): Promise<StoredFile & { created: boolean }>;
  /** The file and its plaintext bytes, or undefined when the shop has no such file. */
  get(shopId: string, fileId: string): Promise<{ file: StoredFile; bytes: Buffer } | undefined>;
  /** The file's description without its bytes. */
  describe(shopId: string, fileId: string): Promise<StoredFile | undefined>;
  list(shopId: string, opts?: { purpose?: string; limit?: number; before?: Date }): Promise<StoredFile[]>;
  /** Deletes files whose expiry has passed, at most `limit` (default 500) at a time; returns how many went. */
  deleteExpired(now: Date, limit?: number): Promise<number>;
}

const DAY_MS = 86_400_000;
export const FILE_ID = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function toStoredFile(row: StoredFileMetaRow): StoredFile {
  return {
    fileId: row.file_id,
    shopId: row.shop_id,
    mimeType: row.mime_type,
    sizeBytes: row.size_bytes,
    ...(row.width === null ? {} : { width: row.width }),
    ...(row.height === null ? {} : { height: row.height }),
    purpose: row.purpose,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

/**
 * `keyring`: SECRETS_ENCRYPTION_KEY (new files are sealed with its active key; older ones open with the key their row
 * names). `retainDays`: FILE_RETENTION_DAYS. Deleting expired files needs no keyring.
 */
export function createFileStore(deps: {
  db: Db;
  keyring?: Keyring;
  maxBytes: number;
  retainDays?: number;
  now?: () => number;
}): FileStore {
  const repo = createStoredFileRepository(deps.db);
  const now = deps.now ?? Date.now;
  const ring = (): Keyring => {
    if (!deps.keyring) throw new SecretsError('the file store needs the secrets keyring (SECRETS_ENCRYPTION_KEY)');
    return deps.keyring;
  };

  return {
    maxBytes: deps.maxBytes,

    async put(shopId, bytes, opts) {
      if (bytes.length > deps.maxBytes) throw new FileTooLargeError(bytes.length, deps.maxBytes);
      if (bytes.length === 0) throw new UnsupportedFileError('the file is empty', 'type');
      const accepted = acceptedTypes(opts.purpose);
      const content = sniffContent(bytes) ?? (accepted.includes('text/csv') ? sniffCsv(bytes) : undefined);
      if (!content || !accepted.includes(content.mimeType)) {
        throw new UnsupportedFileError(
          `${content ? content.mimeType : 'this content'} is not accepted for ${opts.purpose}: the bytes must be ${accepted.join(', ')} (checked by content, not by name or Content-Type)`,
          'type',
        );
      }
      const problem = purposeProblem(opts.purpose, content);
      if (problem) throw new UnsupportedFileError(problem, 'dimensions');
      const keyring = ring();
      const days = opts.retainDays ?? deps.retainDays ?? 400;
      const { row, created } = await repo.insertOrExtend({
        shop_id: shopId,
        file_id: sha256Hex(bytes),
        mime_type: content.mimeType,
        size_bytes: bytes.length,
        width: content.width ?? null,
        height: content.height ?? null,
        purpose: opts.purpose,
        key_id: keyring.activeKeyId,
        sealed: encrypt(keyring.keys.get(keyring.activeKeyId)!, bytes),
        created_by: opts.createdBy,
        expires_at: new Date(now() + days * DAY_MS),
      });
      return { ...toStoredFile(row), created };
    },

    async get(shopId, fileId) {
      if (!FILE_ID.test(fileId)) return undefined;
      const row = await repo.get(shopId, fileId);
      if (!row) return undefined;
      const key = ring().keys.get(row.key_id);
      if (!key) throw new SecretsError(`stored file ${fileId} is sealed with unknown key id "${row.key_id}"`);
      const bytes = decrypt(key, row.sealed);
      // The address is the content's hash: a row whose bytes do not hash to it was tampered with or mixed up.
      if (sha256Hex(bytes) !== row.file_id) throw new SecretsError(`stored file ${fileId} does not match its hash`);
      return { file: toStoredFile(row), bytes };
    },

    async describe(shopId, fileId) {
      if (!FILE_ID.test(fileId)) return undefined;
      const row = await repo.meta(shopId, fileId);
      return row && toStoredFile(row);
    },

    async list(shopId, opts = {}) {
      const rows = await repo.list(shopId, { purpose: opts.purpose, limit: opts.limit ?? 100, before: opts.before });
      return rows.map(toStoredFile);
    },

    async deleteExpired(at, limit = 500) {
      return repo.deleteExpired(at, limit);
    },
  };
}
