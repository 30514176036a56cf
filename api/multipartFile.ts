import crypto from 'node:crypto';
import type { Request } from 'express';
import busboy from 'busboy';
import { HttpError } from './errors';

/** One file of a multipart/form-data body, as it streamed in. */
export interface ReceivedFile {
  /** The whole file, or undefined when it was larger than `maxBytes` (then only its digest and prefix are known). */
  bytes?: Buffer;
  /** SHA-256 (hex) and size of the whole file, however large. */
  sha256: string;
  sizeBytes: number;
  /** Its first `prefixBytes` bytes (for the dead letter of a refused file). */
  prefix: Buffer;
  /** What the client said (kept for information only: the type is read from the content). */
  filename: string;
  claimedType: string;
}

export interface MultipartUpload {
  fields: Record<string, string>;
  file?: ReceivedFile;
}

/**
 * Reads a multipart/form-data request (busboy, https://github.com/mscdex/busboy#readme) with one file in `fileField`
 * and a few short text fields. The file streams through a hash and is kept in memory only up to `maxBytes`: an
 * over-size upload costs no more memory than the cap, and is still known by its hash and size. 415 when the body is
 * not multipart; 400 for a malformed body, more than one file or a file in another field.
 */
export function readMultipartFile(
  req: Request,
  opts: { fileField: string; maxBytes: number; prefixBytes: number; maxFields?: number },
): Promise<MultipartUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      // busboy refuses (throws) a request without a multipart Content-Type, caught below.
      headers: req.headers,
      limits: { files: 1, fields: opts.maxFields ?? 8, fieldSize: 1024, parts: (opts.maxFields ?? 8) + 1 },
    });
  } catch (err) {
    // No multipart Content-Type, or one without a boundary.
    throw new HttpError(
      415,
      'unsupported_media_type',
      `send multipart/form-data with the file in the field "${opts.fileField}" (${(err as Error).message})`,
    );
  }
  return new Promise<MultipartUpload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: ReceivedFile | undefined;
    let pendingFile: Promise<void> | undefined;
    let refused: HttpError | undefined;
    const refuse = (message: string) => {
      refused ??= new HttpError(400, 'invalid_request', message);
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) refuse(`the field "${name}" is too long`);
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== opts.fileField) {
        refuse(`unexpected file field "${name}": send the file in "${opts.fileField}"`);
        stream.resume();
        return;
      }
      const hash = crypto.createHash('sha256');
      const kept: Buffer[] = [];
      let size = 0;
      let prefix = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        if (prefix.length < opts.prefixBytes) {
          prefix = Buffer.concat([prefix, chunk.subarray(0, opts.prefixBytes - prefix.length)]);
        }
        size += chunk.length;
        if (size <= opts.maxBytes) kept.push(chunk);
        else kept.length = 0; // over the cap: keep nothing more, keep counting
      });
      pendingFile = new Promise<void>((done) =>
        stream.on('end', () => {
          file = {
            bytes: size <= opts.maxBytes ? Buffer.concat(kept) : undefined,
            sha256: hash.digest('hex'),
            sizeBytes: size,
            prefix,
            filename: info.filename ?? '',
            claimedType: info.mimeType,
          };
          done();
        }),
      );
    });
    parser.on('filesLimit', () => refuse(`send one file only, in the field "${opts.fileField}"`));
    parser.on('fieldsLimit', () => refuse('too many form fields'));
    parser.on('partsLimit', () => refuse('too many form parts'));
    parser.on('error', (err: Error) =>
      reject(new HttpError(400, 'invalid_request', `malformed multipart body: ${err.message}`)),
    );
    parser.on('close', () => {
      void (pendingFile ?? Promise.resolve()).then(() => (refused ? reject(refused) : resolve({ fields, file })));
    });
    req.on('error', reject);
    req.pipe(parser);
  });
}
