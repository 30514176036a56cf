// Response envelope and error type. ref §4.1: every response, including the auth host's,
// is `{code, message, request_id, data}`; code 0 means success.
import { randomBytes } from 'node:crypto';

export interface Envelope<T = unknown> {
  code: number;
  message: string;
  request_id: string;
  data: T | null;
}

/**
 * An error answered through the envelope. With a `situation` (errorCodes.ts), the pipeline answers the code the
 * error-code table gives for the endpoint instead of `code`.
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus?: number,
    readonly situation?: string,
  ) {
    super(message);
  }
}

// Well-known gateway codes, ref §2.4 and §4.3; sources per situation in errorCodes.ts.
export const CODES = {
  OK: 0,
  TOO_MANY_REQUESTS: 36009002,
  INTERNAL: 36009003,
  INVALID_CREDENTIALS: 36009004,
  INVALID_PATH: 36009009,
  INVALID_METHOD: 36009010,
  INVALID_VERSION: 36009014,
  FILE_TOO_LARGE: 36009021,
  BAD_CONTENT_TYPE: 36009022,
  MULTIPART_REQUIRED: 36009023,
  WRONG_SHOP_TOKEN: 101000,
  TOKEN_INVALID: 105001,
  TOKEN_EXPIRED: 105002,
  BAD_SIGN: 106001,
  SHOP_CIPHER_MISSING: 106013,
} as const;

/**
 * HTTP status for an error code. ref §4.2 documents only 429 (rate limit, with 36009002) and 503 (overload);
 * every other status is marked uncertain there. Emulator choice ('semantic' mode, the default): 429 for
 * 36009002, 500 for 36009003, 404/405 for bad path/method, 401 for credential, sign and token errors, and 200
 * for business errors (the body code is the authority). The 'always200' mode answers 200 except 429/503.
 */
export function httpStatusFor(code: number, mode: 'semantic' | 'always200'): number {
  if (code === CODES.TOO_MANY_REQUESTS) return 429;
  if (mode === 'always200') return 200;
  switch (code) {
    case CODES.INTERNAL:
      return 500;
    case CODES.INVALID_PATH:
    case CODES.INVALID_VERSION:
      return 404;
    case CODES.INVALID_METHOD:
      return 405;
    case CODES.INVALID_CREDENTIALS:
    case CODES.WRONG_SHOP_TOKEN:
    case CODES.TOKEN_INVALID:
    case CODES.TOKEN_EXPIRED:
    case CODES.BAD_SIGN:
    case CODES.SHOP_CIPHER_MISSING:
      return 401;
    default:
      return 200;
  }
}

/** request_id in the documented shape, e.g. `202203070749000101890810281E8C70B7` (ref §4.1). */
export function newRequestId(): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(
    d.getUTCMinutes(),
  )}${pad(d.getUTCSeconds())}`;
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

export function success<T>(data: T): Envelope<T> {
  return { code: 0, message: 'Success', request_id: newRequestId(), data };
}

export function failure(code: number, message: string): Envelope<null> {
  return { code, message, request_id: newRequestId(), data: null };
}
