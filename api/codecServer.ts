import express, { type Express, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { ApiKeyRepository } from '../db/apiKeys';
import { requireRole } from './auth';
import { createErrorHandler, parseOr400 } from './errors';
import type { DeadLetterRepository } from '../db/deadLetters';

// The Codec Server protocol the Web UI and `temporal` CLI speak: base64 metadata values and data.
const JsonPayloads = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') })),
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

export interface CodecServerOptions {
  codec: PayloadCodec;
  corsOrigins: string[];
  /** 'none' only on loopback (the dev server's UI sends no credentials); 'api-key' for deployments. */
  auth: 'none' | 'api-key';
  apiKeys: ApiKeyRepository;
  deadLetters: DeadLetterRepository;
}

/** Lets operators read encrypted payloads in the Temporal Web UI without the key ever leaving this process. */
export function createCodecServer(opts: CodecServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(cors(opts.corsOrigins));
  app.use(express.json({ limit: '4mb' }));
  const guard: RequestHandler =
    opts.auth === 'api-key' ? requireRole(opts.apiKeys, 'viewer') : (_req, _res, next) => next();

  for (const op of ['encode', 'decode'] as const) {
    app.post(`/${op}`, guard, async (req, res) => {
      const body = parseOr400(JsonPayloads, req.body, 'body');
      const out = await opts.codec[op](body.payloads.map(fromJson));
      res.json({ payloads: out.map(toJson) });
    });
  }
  app.use(createErrorHandler(opts.deadLetters));
  return app;
}

function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && (allowed.has(origin) || allowed.has('*'))) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      // The UI sends credentials when the codec is configured with includeCredentials.
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
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
