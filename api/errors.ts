import type { ErrorRequestHandler } from 'express';
import { z, type ZodError } from 'zod';
import type { DeadLetterRepository } from '../db/deadLetters';
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
 * dead-letter table with their raw body, so nothing a client sent is lost.
 */
export function createErrorHandler(deadLetters: DeadLetterRepository): ErrorRequestHandler {
  return (err, req, res, next) => {
    const rejected = err instanceof ValidationError || isBodyParseError(err);
    if (rejected && req.method !== 'GET' && req.method !== 'HEAD') {
      deadLetters
        .record({
          source: `api:${req.method} ${req.baseUrl}${req.route ? (req.route as { path: string }).path : req.path}`,
          reason: (err as Error).message,
          details: err instanceof ValidationError ? err.details : undefined,
          rawBody: req.rawBody?.toString('utf8') ?? '',
          headers: { 'content-type': req.headers['content-type'], 'user-agent': req.headers['user-agent'] },
          shopId: requestShop(req),
        })
        .catch((e: unknown) => req.log?.error({ err: e }, 'could not record a dead letter'))
        .finally(() => respond(err, req, res, next));
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
