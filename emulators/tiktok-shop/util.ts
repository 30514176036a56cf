// Small helpers shared by the API handlers.
import type { ApiError } from './envelope';
import { coded } from './errorCodes';

export type Json = Record<string, unknown>;

export function paramError(message: string): ApiError {
  // errorCodes.ts 'invalid_param': a missing body parameter is answered with 36009004 "param body.x is missing".
  return coded('invalid_param', message);
}

export function asObject(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

export function asStringArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  return [];
}

export function optString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function reqString(body: Json, name: string, where = 'body'): string {
  const v = optString(body[name]);
  if (v === undefined || v === '') throw paramError(`param ${where}.${name} is missing`);
  return v;
}

export function optNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Query array parameters are one comma-separated value (ref §2.1). */
export function commaList(v: string | undefined): string[] {
  return v ? v.split(',').filter((s) => s !== '') : [];
}

/**
 * Cursor pagination, ref §1 "Pagination": `page_size` + `page_token` in, `next_page_token` + `total_count`
 * out; an empty next_page_token means the last page.
 */
export function paginate<T>(
  items: T[],
  query: Record<string, string>,
  limits: { min: number; max: number; def?: number },
): { page: T[]; next_page_token: string; total_count: number } {
  const rawSize = query.page_size;
  let size = limits.def ?? limits.max;
  if (rawSize !== undefined) {
    size = Number(rawSize);
    if (!Number.isInteger(size) || size < limits.min || size > limits.max) {
      throw paramError(`param query.page_size must be between ${limits.min} and ${limits.max}`);
    }
  } else if (limits.def === undefined) {
    throw paramError('param query.page_size is missing');
  }
  let offset = 0;
  if (query.page_token) {
    const decoded = Number(Buffer.from(query.page_token, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) throw paramError('param query.page_token is invalid');
    offset = decoded;
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`o:${offset + size}`, 'utf8').toString('base64url') : '';
  return { page, next_page_token: next, total_count: items.length };
}

export function sortBy<T>(items: T[], key: (t: T) => number, order: string | undefined, def: 'ASC' | 'DESC'): T[] {
  const desc = (order ?? def).toUpperCase() === 'DESC';
  return [...items].sort((a, b) => (desc ? key(b) - key(a) : key(a) - key(b)));
}

/** Filters on `*_ge` / `*_lt` (or `*_le`) Unix-second bounds. */
export function inRange(valueMs: number, body: Json, prefix: string): boolean {
  const s = Math.floor(valueMs / 1000);
  const ge = optNumber(body[`${prefix}_ge`]);
  const lt = optNumber(body[`${prefix}_lt`]);
  const le = optNumber(body[`${prefix}_le`]);
  if (ge !== undefined && s < ge) return false;
  if (lt !== undefined && s >= lt) return false;
  if (le !== undefined && s > le) return false;
  return true;
}
