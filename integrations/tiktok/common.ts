// Shared pieces of the per-family modules: shop reference, call options, input validation, common schemas.
import { z } from 'zod';
import { TikTokInvalidRequest } from './errors';
import type { HttpMethod } from './shopCipher';

/** The shop an API call acts on: its id (token and budget key) and its cipher (§3.3). */
export interface ShopRef {
  shopId: string;
  shopCipher: string;
}

export interface CallOptions {
  /** Passed to the rate budget, which serves deadline-bearing calls first. */
  deadline?: Date;
  /**
   * Lowest priority in the rate budget: the call waits behind every other call of its API and shop, with or without a
   * deadline (a tax-history backfill must never delay an order's calls).
   */
  background?: boolean;
  /**
   * Runs after the rate-budget wait, right before the request is sent; throwing cancels the call. For mutations that
   * a newer one may have superseded while this one waited (an inventory push whose attempt timed out).
   */
  beforeSend?: () => Promise<void>;
  /** The caller already took this call's rate-budget token (`TikTokClient.reserve`); retries take their own. */
  tokenReserved?: boolean;
}

/** Validates a caller's input; a failure is a bug in the caller, hence non-retryable TikTokInvalidRequest. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  method: HttpMethod,
  path: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
  throw new TikTokInvalidRequest({
    code: null,
    message: `invalid input: ${issues}`,
    request_id: null,
    path,
    method,
    http_status: null,
  });
}

/** §1: every id is a JSON string of digits (we do not insist on digits, only on a non-empty string). */
export const idSchema = z.string().min(1);

/** §1: Unix seconds. */
export const unixSecondsSchema = z.number().int().nonnegative();

/** §1: money amounts are decimal strings; the currency travels alongside. */
export const amountSchema = z.string();

/** `{amount, currency}` objects (partial refunds, list prices). */
export const moneySchema = z.looseObject({ amount: amountSchema.optional(), currency: z.string().optional() });

/** Endpoints documented as returning empty `data` (absent, null or `{}`). */
export const emptyDataSchema = z.union([z.null(), z.undefined(), z.looseObject({})]).transform(() => undefined);

/** §4.1: per-item failures of batch endpoints inside a successful envelope. */
export const batchErrorSchema = z.looseObject({
  code: z.number().int(),
  message: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type BatchError = z.output<typeof batchErrorSchema>;

/** `data` of batch endpoints: `{errors?: [...]}`, possibly empty; normalised to `{errors: []}`. */
export const batchResultSchema = z
  .union([z.null(), z.undefined(), z.looseObject({ errors: z.array(batchErrorSchema).optional() })])
  .transform((data) => ({ errors: data?.errors ?? [] }));
export type BatchResult = z.output<typeof batchResultSchema>;

/** `sort_order` of search endpoints. */
export const sortOrderSchema = z.enum(['ASC', 'DESC']);

/** Pagination query of search endpoints: `page_size` (bounds and default per endpoint) + `page_token`. */
export function pageQuery(pageSize: { min?: number; max: number; default: number }) {
  return {
    page_size: z
      .number()
      .int()
      .min(pageSize.min ?? 1)
      .max(pageSize.max)
      .default(pageSize.default),
    page_token: z.string().min(1).optional(),
  };
}

/** Creation and update time window of the order and after-sales searches: `*_ge` inclusive, `*_lt` exclusive. */
export const timeWindowFilters = {
  create_time_ge: unixSecondsSchema.optional(),
  create_time_lt: unixSecondsSchema.optional(),
  update_time_ge: unixSecondsSchema.optional(),
  update_time_lt: unixSecondsSchema.optional(),
};

/** Sorting query of the order and after-sales searches. */
export const sortQuery = {
  sort_field: z.enum(['create_time', 'update_time']).optional(),
  sort_order: sortOrderSchema.optional(),
};

/** Pagination (§1): `page_size` + `page_token` in, `next_page_token` + `total_count` out. */
export const pageOutSchema = {
  next_page_token: z.string().optional(),
  total_count: z.number().int().optional(),
};
