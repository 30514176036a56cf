import type { ErrorRequestHandler } from 'express';
import { z, type ZodError } from 'zod';
import type { Request, Response } from 'express';
import type { ApiKeyRepository } from '../db/apiKeys';
import type { DeadLetterRepository } from '../db/deadLetters';
import type { FailureLimiter } from './failureLimiter';
import { requestShop } from './scope';

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

/** An error with an HTTP status that the API returns as JSON `{ error: { code, message, issues? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class ValidationError extends HttpError {
  constructor(
    readonly where: 'body' | 'query' | 'params' | 'headers',
    readonly zodError: ZodError,
  ) {
    super(400, 'invalid_request', `invalid ${where}: ${z.prettifyError(zodError)}`, zodError.issues);
  }
}

export function parseOr400<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: ValidationError['where'],
): z.output<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw new ValidationError(where, res.error);
  return res.data;
}

/**
 * JSON errors for every route. Rejected write requests (bad JSON, schema violations) are also kept in the
 * dead-letter table: raw for callers with a valid API key; for anyone else only a hash, the first 4 KB and a count
 * (issue 13 item 2). Failed authentications count against the caller's address (`limiter`); past its limit they are
 * answered 429 and nothing of them is stored.
 */
export function createErrorHandler(
  deadLetters: Pick<DeadLetterRepository, 'record' | 'recordUnauthenticated'>,
  opts: { limiter?: FailureLimiter; apiKeys?: Pick<ApiKeyRepository, 'authenticate'> } = {},
): ErrorRequestHandler {
  const { limiter } = opts;
  /** False when the caller has failed authentication too often (then answered 429 here); counts this failure. */
  const admitFailure = (req: Request, res: Response): boolean => {
    const address = req.ip ?? '';
    if (limiter?.limited(address)) {
      res.status(429).json({
        error: { code: 'too_many_failures', message: 'too many failed authentications from this address, try later' },
      });
      return false;
    }
    limiter?.fail(address);
    return true;
  };
  // The JSON parser runs before authentication: a body it refuses may still come with a valid key.
  const authenticated = async (req: Request): Promise<boolean> => {
    if (req.apiKey) return true;
    const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!key || !opts.apiKeys) return false;
    // authenticate answers null for an unknown or revoked key: only a record counts.
    return Boolean(await opts.apiKeys.authenticate(key).catch(() => null));
  };
  return (err, req, res, next) => {
    if (err instanceof HttpError && err.status === 401) {
      if (admitFailure(req, res)) respond(err, req, res, next);
      return;
    }
    const rejected = err instanceof ValidationError || isBodyParseError(err);
    if (rejected && req.method !== 'GET' && req.method !== 'HEAD') {
      const source = `api:${req.method} ${req.baseUrl}${req.route ? (req.route as { path: string }).path : req.path}`;
      const headers = { 'content-type': req.headers['content-type'], 'user-agent': req.headers['user-agent'] };
      const keep = async (): Promise<boolean> => {
        if (await authenticated(req)) {
          await deadLetters.record({
            source,
            reason: (err as Error).message,
            details: err instanceof ValidationError ? err.details : undefined,
            rawBody: req.rawBody?.toString('utf8') ?? '',
            headers,
            shopId: requestShop(req),
          });
          return true;
        }
        if (!admitFailure(req, res)) return false;
        await deadLetters.recordUnauthenticated({
          source,
          reason: (err as Error).message,
          rawBody: req.rawBody ?? Buffer.alloc(0),
          headers,
          remoteAddress: req.ip ?? '',
        });
        return true;
      };
      keep().then(
        (answer) => answer && respond(err, req, res, next),
        (e: unknown) => {
          req.log?.error({ err: e }, 'could not record a dead letter');
          respond(err, req, res, next);
        },
      );
      return;
    }
    respond(err, req, res, next);
  };
}

function isBodyParseError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.parse.failed';
}

const respond: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json({
      error: {
        code: err.code,
        message: err.message,
        ...(err instanceof ValidationError ? { issues: err.details } : {}),
      },
    });
    return;
  }
  // express.json() body errors (malformed JSON, too large) carry a status and type.
  const status = (err as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({ error: { code: 'invalid_request', message: (err as Error).message } });
    return;
  }
  if (isDatabaseUnavailable(err)) {
    req.log?.error({ err }, 'database unavailable');
    res.status(503).json({ error: { code: 'unavailable', message: 'the database is unavailable, try again shortly' } });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
};

// node-postgres socket errors, PostgreSQL's connection-exception class (08xxx) and shutdown / too-many-connections
// codes (PostgreSQL docs, Appendix A "Error Codes"), and knex's pool timeout: the database is not answering, which a
// client may retry (503), unlike a bug (500).
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
  if (name === 'KnexTimeoutError') return true;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
  if (typeof code === 'string' && /^08[0-9A-Z]{3}$/.test(code)) return true;
  return typeof message === 'string' && /Connection terminated/i.test(message);
}
