import type { RequestHandler } from 'express';
import type { ApiKeyRecord, ApiKeyRepository, Role } from '../db/apiKeys';
import { roleAtLeast } from '../db/apiKeys';
import { HttpError } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKeyRecord;
  }
}

/** `Authorization: Bearer <key>`; 401 without a valid key, 403 when the key's role is below `role`. */
export function requireRole(keys: ApiKeyRepository, role: Role): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      next(new HttpError(401, 'unauthenticated', 'missing API key: send Authorization: Bearer <key>'));
      return;
    }
    keys
      .authenticate(match[1]!)
      .then((key) => {
        if (!key) throw new HttpError(401, 'unauthenticated', 'unknown or revoked API key');
        if (!roleAtLeast(key.role, role)) throw new HttpError(403, 'forbidden', `this action needs the ${role} role`);
        req.apiKey = key;
        next();
      })
      .catch(next);
  };
}
