// Authorization page and token endpoints (the auth host, ref §3.1–§3.2), served on the
// same HTTP server as the Open API.
import type { Request, Response } from 'express';
import { ApiError, failure, httpStatusFor, success } from './envelope';
import type { Situation } from './errorCodes';
import { TOKEN_GET, TOKEN_REFRESH, coded } from './errorCodes';
import type { Platform } from './platform';

function firstQuery(req: Request): Record<string, string> {
  const url = new URL(req.originalUrl, 'http://emulator.local');
  const q: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in q)) q[k] = v;
  return q;
}

/**
 * GET /open/authorize?service_id=… (current link) or /oauth/authorize?app_key=… (legacy link), both also with
 * &state=…[&open_id=…][&deny=1] (ref §3.1): the seller consents at once.
 * A single-use auth code is issued and the browser is redirected (302) to the app's redirect URL with `code`
 * and `state`; with deny=1 the redirect carries `code=null&error=auth_denied` (ref §3.1).
 */
export function authorizePage(p: Platform, req: Request, res: Response): void {
  const q = firstQuery(req);
  const app = [...p.state.apps.values()].find(
    (a) =>
      (q.app_key !== undefined && a.appKey === q.app_key) ||
      (q.service_id !== undefined && a.serviceId === q.service_id),
  );
  if (!app) {
    res.status(400).type('text/plain').send('Unknown app_key / service_id');
    return;
  }
  if (!app.redirectUrl) {
    res.status(400).type('text/plain').send('The app has no redirect URL configured');
    return;
  }
  const seller = q.open_id ? p.state.sellers.get(q.open_id) : [...p.state.sellers.values()][0];
  if (!seller) {
    res.status(400).type('text/plain').send('No seller account exists in the emulator (seed a shop first)');
    return;
  }
  const target = new URL(app.redirectUrl);
  if (q.deny === '1' || q.deny === 'true') {
    target.searchParams.set('code', 'null');
    target.searchParams.set('error', 'auth_denied');
  } else {
    target.searchParams.set('code', p.tokens.issueAuthCode(app.appKey, seller.openId));
  }
  if (q.state !== undefined) target.searchParams.set('state', q.state);
  res.redirect(302, target.toString());
}

/** GET /api/v2/token/get and /api/v2/token/refresh — unsigned, query parameters only (ref §3.2). */
export function tokenEndpoint(
  p: Platform,
  kind: 'get' | 'refresh',
  mode: 'semantic' | 'always200',
  req: Request,
  res: Response,
): void {
  const api = kind === 'get' ? TOKEN_GET : TOKEN_REFRESH;
  try {
    if (req.method !== 'GET') throw coded('invalid_method', 'Invalid HTTP method');
    const q = firstQuery(req);
    const data = kind === 'get' ? p.tokens.exchange(q) : p.tokens.refresh(q);
    res.status(200).json(success(data));
  } catch (err) {
    const e = err instanceof ApiError ? err : coded('internal_error', 'Internal error');
    // The auth host's codes per situation, with their sources: errorCodes.ts.
    const code = e.situation === undefined ? e.code : p.errors.code(e.situation as Situation, api);
    res.status(httpStatusFor(code, mode)).json(failure(code, e.message));
  }
}
