import express, { type Express, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApiKeyRecord, ApiKeyRepository, Role } from '../db/apiKeys';
import { roleAtLeast } from '../db/apiKeys';
import { ServiceUnavailableError } from './auth';
import { createErrorHandler, HttpError, parseOr400 } from './errors';
import { createFailureLimiter } from './failureLimiter';
import type { DeadLetterRepository } from '../db/deadLetters';

// The Codec Server protocol the Web UI and `temporal` CLI speak: base64 metadata values and data. It is protobuf's
// JSON mapping, which leaves out empty fields: a query or signal without arguments arrives as `{}` (an empty list).
const JsonPayloads = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') }))
    .default([]),
});

const fromJson = (p: z.infer<typeof JsonPayloads>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * Who may use the endpoint: decoding shows every shop's payloads; encoding turns plain input into payloads the worker
 * accepts, which would bypass the API's checks, so only admins encode a non-empty list. The CLI encodes a query's or
 * signal's (often empty) argument list, and an empty list carries nothing: operators may encode that.
 */
export const CODEC_ROLES = { decode: 'operator', encode: 'admin' } as const satisfies Record<string, Role>;

export interface CodecServerOptions {
  codec: PayloadCodec;
  corsOrigins: string[];
  /** 'none' only on loopback (the dev server's UI sends no credentials); 'api-key' for deployments. */
  auth: 'none' | 'api-key';
  /** Host header values accepted (DNS rebinding: a hostile page's name resolving to us still carries its own Host). */
  allowedHosts: string[];
  apiKeys: ApiKeyRepository;
  deadLetters: DeadLetterRepository;
  logger: Logger;
  /** Failed keys and refused bodies per address, as on the API (AUTH_FAILURE_LIMIT per AUTH_FAILURE_WINDOW_SECONDS). */
  failureLimit?: { limit: number; windowMs: number };
  /** Express `trust proxy` (CODEC_TRUST_PROXY): behind the compose proxy, its X-Forwarded-For names the client. */
  trustProxy?: string;
}

/** Lets operators read encrypted payloads in the Temporal Web UI without the key ever leaving this process. */
export function createCodecServer(opts: CodecServerOptions): Express {
  if (opts.corsOrigins.some((o) => o.includes('*'))) {
    throw new Error('the codec endpoint refuses wildcard CORS origins: list the Web UI origins');
  }
  const allowedHosts = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? 'loopback');
  app.use((req, _res, next) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) {
      opts.logger.warn({ host, path: req.path }, 'codec endpoint: request for an unexpected Host refused');
      next(new HttpError(421, 'misdirected_request', `unexpected Host header "${host}"`));
      return;
    }
    next();
  });
  app.use(cors(opts.corsOrigins));
  app.use(express.json({ limit: '4mb' }));
  const guard = (role: Role): RequestHandler =>
    opts.auth === 'api-key' ? requireCodecKey(opts.apiKeys, role, opts.logger) : (_req, _res, next) => next();

  // For an authenticating reverse proxy in front of the Web UI and this endpoint (docker-compose.yml: Caddy's
  // forward_auth): 204 for a key that may decode, else 401 with a Basic challenge so the browser asks for one.
  app.get('/auth', guard(CODEC_ROLES.decode), (_req, res) => {
    res.sendStatus(204);
  });

  for (const op of ['encode', 'decode'] as const) {
    app.post(`/${op}`, guard(CODEC_ROLES.decode), async (req, res) => {
      const body = parseOr400(JsonPayloads, req.body, 'body');
      if (opts.auth === 'api-key' && body.payloads.length > 0 && !roleAtLeast(req.apiKey!.role, CODEC_ROLES[op])) {
        throw new HttpError(403, 'forbidden', `${op} needs the ${CODEC_ROLES[op]} role`);
      }
      let out: Payload[];
      try {
        out = await opts.codec[op](body.payloads.map(fromJson));
      } catch (err) {
        // A payload that is not ours (unknown key id, tampered, truncated) is the caller's problem, not a crash.
        opts.logger.warn({ err, op, payloads: body.payloads.length }, 'codec endpoint: payload refused');
        throw new HttpError(400, 'undecodable_payload', `cannot ${op} these payloads: ${(err as Error).message}`);
      }
      res.json({ payloads: out.map(toJson) });
    });
  }
  // The same per-address limit and key check as the API: nobody without a key guesses keys or fills dead letters.
  const limiter = createFailureLimiter(opts.failureLimit ?? { limit: 30, windowMs: 60_000 });
  app.use(createErrorHandler(opts.deadLetters, { limiter, apiKeys: opts.apiKeys }));
  return app;
}

/** `Authorization: Bearer <key>`, or Basic with the key as password (what a browser sends after the proxy's prompt). */
export function apiKeyFromAuthorization(header: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
}

/**
 * The Web UI lists every shop's workflows, so only agency-wide keys (no shop restriction) may decode through it,
 * with the same keys and roles as the API (db/apiKeys.ts).
 */
function requireCodecKey(keys: ApiKeyRepository, role: Role, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const key = apiKeyFromAuthorization(req.headers.authorization);
    const challenge = () => res.setHeader('WWW-Authenticate', 'Basic realm="tiktok-shop-ops", charset="UTF-8"');
    if (!key) {
      challenge();
      next(new HttpError(401, 'unauthenticated', 'missing API key: send Authorization: Bearer <key>'));
      return;
    }
    keys.authenticate(key).then(
      (record) => {
        if (!record) {
          challenge();
          return next(new HttpError(401, 'unauthenticated', 'unknown or revoked API key'));
        }
        if (!coversEveryShop(record)) {
          return next(new HttpError(403, 'forbidden', 'the codec endpoint and Web UI are for agency-wide keys only'));
        }
        if (!roleAtLeast(record.role, role)) {
          return next(new HttpError(403, 'forbidden', `this action needs the ${role} role`));
        }
        req.apiKey = record;
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'codec endpoint: API key lookup failed');
        next(new ServiceUnavailableError('the database'));
      },
    );
  };
}

/** A key without a shop list (`shopIds` null) covers every shop. */
const coversEveryShop = (record: ApiKeyRecord): boolean => record.shopIds === null;

function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      // The UI sends credentials when the codec is configured with includeCredentials.
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization, Caller-Type');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.sendStatus(204);
      return;
    }
    next();
  };
}
