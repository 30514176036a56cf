import type { Request, RequestHandler } from 'express';
import type { ApiKeyRecord, ApiKeyRepository, Role } from '../db/apiKeys';
import { roleAtLeast } from '../db/apiKeys';
import { HttpError } from './errors';
import { coversShop } from './scope';

export { coversRow, coversShop, requestShop, shopFilter, type ShopScope } from './scope';

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKeyRecord;
  }
}

/** The database could not be asked: a 503 the client may retry, not a 500 (issue 13 item 10). */
export class ServiceUnavailableError extends HttpError {
  constructor(what: string) {
    super(503, 'unavailable', `${what} is unavailable, try again shortly`);
  }
}

/**
 * `Authorization: Bearer <key>`; 401 without a valid key, 403 when the key's role is below `role`, 503 when the
 * key cannot be checked because the database does not answer. Puts the caller's role and shops on `req.auth`.
 * `agencyWide`: also 403 for shop-scoped keys (agency-level actions: API keys, connecting new shops).
 */
export function requireRole(keys: ApiKeyRepository, role: Role, opts: { agencyWide?: boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      next(new HttpError(401, 'unauthenticated', 'missing API key: send Authorization: Bearer <key>'));
      return;
    }
    keys.authenticate(match[1]!).then(
      (key) => {
        if (!key) return next(new HttpError(401, 'unauthenticated', 'unknown or revoked API key'));
        if (!roleAtLeast(key.role, role)) {
          return next(new HttpError(403, 'forbidden', `this action needs the ${role} role`));
        }
        if (opts.agencyWide && key.shopIds !== null) {
          return next(new HttpError(403, 'forbidden', 'this action needs an agency-wide API key'));
        }
        req.apiKey = key;
        req.auth = { role: key.role, shops: key.shopIds ?? 'all' };
        next();
      },
      (err: unknown) => {
        // The lookup is one indexed read: when it fails, the database is down or overloaded.
        req.log?.error({ err }, 'API key lookup failed');
        next(new ServiceUnavailableError('the database'));
      },
    );
  };
}

/**
 * Who is calling, as recorded on what the request changes (audit rows, a person's decisions): the API key's name,
 * which people read, and its id, since names are not unique. Only behind requireRole (which sets the key).
 */
export function callerIdentity(req: Request): { name: string; keyId: string } {
  if (!req.apiKey) throw new Error('callerIdentity needs requireRole on the route');
  return { name: req.apiKey.name, keyId: req.apiKey.id };
}

/**
 * 404 unless the caller's key covers `shopId`; every route about one shop calls it first. The answer is the same whether or not the shop exists, so a key
 * learns nothing about other brands' shops.
 */
export function requireShop(req: Request, shopId: string): void {
  if (!coversShop(req, shopId)) throw new HttpError(404, 'not_found', `no shop ${shopId} for this API key`);
  // Remembered for what the request may leave behind (a dead letter if its body is then rejected).
  if (req.auth) req.auth.shop = shopId;
}

/** callerIdentity as a decision's `decidedBy` (human-step updates, warehouse answers): "<key name> (key <id>)". */
export function decidedByCaller(req: Request): string {
  const { name, keyId } = callerIdentity(req);
  return `${name} (key ${keyId})`;
}
