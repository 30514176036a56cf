// Test helpers: a scripted fake `fetch`, a recording token provider, budget and logger.
import type { RateBudget, TikTokClientDeps, TikTokLogger, TokenProvider } from '../../../integrations/tiktok/client';
import { createTikTokClient } from '../../../integrations/tiktok/client';
import type { TikTokClient } from '../../../integrations/tiktok/client';

export const APP_KEY = 'test_app_key';
export const APP_SECRET = 'test_app_secret';
export const SHOP = { shopId: '7495540735365777507', shopCipher: 'ROW_testcipher' };
export const FIXED_NOW_MS = 1_718_305_585_123;

export interface RecordedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Responder = (req: RecordedRequest) => Response | Promise<Response>;

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

export function envelope(code: number, data: unknown = {}, message = code === 0 ? 'Success' : 'error'): unknown {
  return { code, message, request_id: `req-${code}`, data };
}

/** A fetch that answers from a queue of responders (the last one repeats) and records every request. */
export function fakeFetch(...responders: Responder[]): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  let i = 0;
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const rec: RecordedRequest = {
      url,
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(rec);
    const responder = responders[Math.min(i, responders.length - 1)];
    i += 1;
    if (!responder) throw new Error('no responder');
    return responder(rec);
  };
  return { fetch: impl, requests };
}

export class RecordingTokens implements TokenProvider {
  readonly calls: string[] = [];
  private token = 'TTP_token_1';
  private n = 1;
  getAccessToken(shopId: string): Promise<string> {
    this.calls.push(`get:${shopId}`);
    return Promise.resolve(this.token);
  }
  refresh(shopId: string): Promise<string> {
    this.calls.push(`refresh:${shopId}`);
    this.n += 1;
    this.token = `TTP_token_${this.n}`;
    return Promise.resolve(this.token);
  }
}

export class RecordingBudget implements RateBudget {
  readonly calls: { shopId: string; api: string; deadline?: Date }[] = [];
  acquire(input: { shopId: string; api: string; deadline?: Date }): Promise<void> {
    this.calls.push(input);
    return Promise.resolve();
  }
}

export class RecordingLogger implements TikTokLogger {
  readonly lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  debug(obj: Record<string, unknown>, msg?: string): void {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: Record<string, unknown>, msg?: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: Record<string, unknown>, msg?: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: Record<string, unknown>, msg?: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
}

export interface TestClient {
  client: TikTokClient;
  requests: RecordedRequest[];
  tokens: RecordingTokens;
  budget: RecordingBudget;
  logger: RecordingLogger;
}

export function makeClient(responders: Responder[], overrides: Partial<TikTokClientDeps> = {}): TestClient {
  const { fetch, requests } = fakeFetch(...responders);
  const tokens = new RecordingTokens();
  const budget = new RecordingBudget();
  const logger = new RecordingLogger();
  const client = createTikTokClient({
    baseUrl: 'https://open-api.example.test',
    authBaseUrl: 'https://auth.example.test',
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    fetch,
    now: () => FIXED_NOW_MS,
    logger,
    tokens,
    budget,
    ...overrides,
  });
  return { client, requests, tokens, budget, logger };
}

/** Convenience: a client whose every response is `envelope(0, data)`. */
export function okClient(data: unknown): TestClient {
  return makeClient([() => jsonResponse(200, envelope(0, data))]);
}
