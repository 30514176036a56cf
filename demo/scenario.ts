// The contract of a demo scenario (`npm run demo -- <name>`, scripts/demo.ts): a scenario drives one business process
// of the running product through its HTTP API, the TikTok emulator's admin API and the CLI, waits on real state (never
// a blind sleep) and returns the figures it saw. Adding a process's demo is one file in demo/ and one line in
// demo/index.ts; test/e2e/demos.test.ts runs every scenario.
import { parseDuration } from '../shopSettings/schema';

/** A failure the demo reports as `demo <name>: FAILED — <message>`. */
export class DemoError extends Error {
  override name = 'DemoError';
}

export interface DemoSku {
  productId: string;
  skuId: string;
  sellerSku: string;
  /** Units TikTok shows available, summed over warehouses, when the demo started. */
  available: number;
}

/** The emulator's demo shop the scenarios work on. */
export interface DemoShop {
  shopId: string;
  name: string;
  /** The seller's open id on TikTok (the emulator revokes consent by it). */
  openId: string;
  warehouseId: string;
  skus: DemoSku[];
}

export interface ApiAnswer {
  status: number;
  // The API's JSON as sent; scenarios check the fields they read.
  json: any;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DemoContext {
  shop: DemoShop;
  /** Real time ÷ compression = demo time: TikTok's 48-hour window lasts 48 h / compression. */
  compression: number;
  /**
   * The product's HTTP API with the demo's key (or `key`). A status outside 2xx and `accept` fails the demo with the
   * API's error message.
   */
  api(
    method: string,
    path: string,
    body?: unknown,
    opts?: { key?: string; headers?: Record<string, string>; accept?: number[] },
  ): Promise<ApiAnswer>;
  /** The bytes the API answers for `path` (a download: a PDF, a file), with the demo's key; non-2xx fails the demo. */
  download(path: string): Promise<{ bytes: Buffer; contentType: string | null }>;
  /** The TikTok emulator's admin API (`/__admin…`): GET without a body, POST with one; non-2xx fails the demo. */
  emulator(path: string, body?: unknown): Promise<any>;
  /**
   * GET on the AvaTax REST v2 API (`/companies/…`) of the account the product commits to, as its user would read it;
   * fails the demo when no account is known or on a non-2xx answer.
   */
  avatax(path: string): Promise<any>;
  /** The AvaTax company code the product commits under (undefined when no account is known). */
  avataxCompany: string | undefined;
  /** Polls `fn` until it returns a value other than undefined/false; fails the demo after `timeoutMs` naming `what`. */
  until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  /** The operator CLI (`npm run cli -- <args>`) as a child process, with the demo's key or `key`. */
  cli(args: string[], opts?: { key?: string }): Promise<CliRun>;
  /** A progress line (the last line of a run is the runner's verdict). */
  log(line: string): void;
  /**
   * Connects the demo shop as the seller would: a consent link (`link`, else a new one from the API) → the emulator's
   * consent page → our callback; resolves once the shop is authorized and its webhooks subscribed.
   */
  connectShop(link?: string): Promise<void>;
}

export interface DemoScenario {
  /** `npm run demo -- <name>`. */
  name: string;
  /** One line for `npm run demo -- --list`. */
  summary: string;
  /** Runs the scenario; returns the text after `ok — ` (the figures it saw). */
  run(ctx: DemoContext): Promise<string>;
}

/** Milliseconds of an `ms`-format duration ('48h', '2.5s'), the format of shop settings. */
export function durationMs(duration: string): number {
  const parsed = parseDuration(duration);
  if ('error' in parsed) throw new DemoError(parsed.error);
  return parsed.ms;
}

/** A real-world duration (`ms` format: '48h', '30m') in demo milliseconds. */
export function compressedMs(duration: string, compression: number): number {
  return Math.max(1, Math.round(durationMs(duration) / compression));
}

/** A real-world duration compressed, in the `ms` format shop settings take ('24h' at ×2880 → '30s'). */
export function compressedDuration(duration: string, compression: number): string {
  const ms = compressedMs(duration, compression);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Seconds with one decimal, for summaries. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
