// Response envelope and the failure taxonomy of the TikTok Shop client.
// Every class is an ApplicationFailure with a stable `type`, so activity retry policies can list the
// non-retryable ones by name (NON_RETRYABLE_TIKTOK_FAILURES). Codes: reference §2.4, §3.2, §4.2-§4.4, §6.2, §7, §8.
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { NON_RETRYABLE_TIKTOK_FAILURES } from '../../workflows/shared/failureTypes';

/**
 * Whether a failure type is non-retryable: the list workflow retry policies name (plain constants, safe in the
 * workflow sandbox) is the one source, and each class below reads its flag from it.
 */
function nonRetryable(type: string): boolean {
  return (NON_RETRYABLE_TIKTOK_FAILURES as readonly string[]).includes(type);
}

/** §4.1: every Open API and auth-host response is `{code, message, request_id, data}`; `code 0` = success. */
export const tiktokEnvelopeSchema = z.looseObject({
  code: z.number().int(),
  message: z.string().optional().default(''),
  request_id: z.string().optional(),
  data: z.unknown().optional(),
});
export type TikTokEnvelope = z.output<typeof tiktokEnvelopeSchema>;

/** Plain, serialisable details attached to every failure (Temporal's payload converter serialises them). */
export interface TikTokFailureDetails {
  /** TikTok's body `code`; null when there was no envelope (network error, timeout, non-JSON body, local check). */
  code: number | null;
  /** TikTok's body `message`, or our own description when there is no envelope. */
  message: string;
  request_id: string | null;
  /** The concrete request path (no host, no query). */
  path: string;
  method: string;
  http_status: number | null;
  /** True when the request timed out on our side. */
  timeout?: boolean;
  /** True when the request never got a response (network error or timeout): a write may or may not have happened. */
  outcome_unknown?: boolean;
}

export abstract class TikTokFailure extends ApplicationFailure {
  readonly code: number | null;
  readonly requestId: string | null;
  readonly path: string;
  readonly httpStatus: number | null;
  readonly tiktokMessage: string;

  protected constructor(type: string, nonRetryable: boolean, info: TikTokFailureDetails, cause?: Error) {
    super(formatMessage(type, info), type, nonRetryable, [info], cause);
    this.code = info.code;
    this.requestId = info.request_id;
    this.path = info.path;
    this.httpStatus = info.http_status;
    this.tiktokMessage = info.message;
  }

  /** The serialisable details (the first element of `details`). */
  get info(): TikTokFailureDetails {
    return this.details?.[0] as TikTokFailureDetails;
  }
}

function formatMessage(type: string, info: TikTokFailureDetails): string {
  const code = info.code === null ? 'no code' : `code ${info.code}`;
  const status = info.http_status === null ? 'no HTTP status' : `HTTP ${info.http_status}`;
  return `${type}: ${info.method} ${info.path} failed (${code}, ${status}, request_id ${info.request_id ?? 'none'}): ${info.message}`;
}

/** HTTP 429 or code 36009002 (even inside an HTTP 200), or a daily quota code. Retryable. */
export class TikTokRateLimited extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokRateLimited';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokRateLimited.FAILURE_TYPE, TikTokRateLimited.NON_RETRYABLE, info, cause);
  }
}

/** HTTP 5xx, 36009003 (internal error), 36009007 (request timeout), network errors and our own timeouts. Retryable. */
export class TikTokUnavailable extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokUnavailable';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokUnavailable.FAILURE_TYPE, TikTokUnavailable.NON_RETRYABLE, info, cause);
  }
}

/**
 * 105002: the access token expired. The client refreshes and retries once by itself; this failure surfaces only when
 * the refreshed token is also refused (or when the caller supplied a raw token). Retryable: a later attempt refreshes.
 */
export class TikTokAccessTokenExpired extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokAccessTokenExpired';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokAccessTokenExpired.FAILURE_TYPE, TikTokAccessTokenExpired.NON_RETRYABLE, info, cause);
  }
}

/** 105001 (token invalid / deauthorized), 36009004 about the access token, a refused auth code or refresh token. */
export class TikTokAuthRevoked extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokAuthRevoked';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokAuthRevoked.FAILURE_TYPE, TikTokAuthRevoked.NON_RETRYABLE, info, cause);
  }
}

/** 105005 (scope not granted), 36009033 (IP allow-list), 101000 (token/cipher mismatch), 25020005, restricted category. */
export class TikTokPermissionDenied extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokPermissionDenied';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokPermissionDenied.FAILURE_TYPE, TikTokPermissionDenied.NON_RETRYABLE, info, cause);
  }
}

/** 106001 (invalid sign) or 36009004 about the signature: a bug on our side, never retried. */
export class TikTokSignatureInvalid extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokSignatureInvalid';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokSignatureInvalid.FAILURE_TYPE, TikTokSignatureInvalid.NON_RETRYABLE, info, cause);
  }
}

/** Validation codes, bad path/method/version/content type, missing shop_cipher, and our own input checks. */
export class TikTokInvalidRequest extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokInvalidRequest';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokInvalidRequest.FAILURE_TYPE, TikTokInvalidRequest.NON_RETRYABLE, info, cause);
  }
}

/** The entity does not exist for this shop (e.g. 25007006 order not found). */
export class TikTokNotFound extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokNotFound';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokNotFound.FAILURE_TYPE, TikTokNotFound.NON_RETRYABLE, info, cause);
  }
}

/**
 * The entity's state forbids the action (already shipped, already cancelled, wrong order status, ...). Callers that
 * make a mutation idempotent read `code` to tell "already done" from "impossible".
 */
export class TikTokStateConflict extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokStateConflict';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokStateConflict.FAILURE_TYPE, TikTokStateConflict.NON_RETRYABLE, info, cause);
  }
}

/** `code 0` but `data` does not match our schema (or a 2xx without an envelope): a contract drift, not transient. */
export class TikTokResponseInvalid extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokResponseInvalid';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokResponseInvalid.FAILURE_TYPE, TikTokResponseInvalid.NON_RETRYABLE, info, cause);
  }
}

/**
 * Any other non-zero code. Non-retryable: the unmapped codes the published pages list are business validations, and an
 * unknown deterministic error retried forever would hide the problem. `code` is in the details.
 */
export class TikTokApiError extends TikTokFailure {
  static readonly FAILURE_TYPE = 'TikTokApiError';
  static readonly NON_RETRYABLE = nonRetryable(this.FAILURE_TYPE);
  constructor(info: TikTokFailureDetails, cause?: Error) {
    super(TikTokApiError.FAILURE_TYPE, TikTokApiError.NON_RETRYABLE, info, cause);
  }
}

export type TikTokFailureClass =
  | typeof TikTokRateLimited
  | typeof TikTokUnavailable
  | typeof TikTokAccessTokenExpired
  | typeof TikTokAuthRevoked
  | typeof TikTokPermissionDenied
  | typeof TikTokSignatureInvalid
  | typeof TikTokInvalidRequest
  | typeof TikTokNotFound
  | typeof TikTokStateConflict
  | typeof TikTokResponseInvalid
  | typeof TikTokApiError;

/** Codes one endpoint documents, each with its failure class: consulted before the codes below (endpoint.ts). */
export type TikTokErrorMapping = Readonly<Record<number, TikTokFailureClass>>;

export const TIKTOK_FAILURE_CLASSES: readonly TikTokFailureClass[] = [
  TikTokRateLimited,
  TikTokUnavailable,
  TikTokAccessTokenExpired,
  TikTokAuthRevoked,
  TikTokPermissionDenied,
  TikTokSignatureInvalid,
  TikTokInvalidRequest,
  TikTokNotFound,
  TikTokStateConflict,
  TikTokResponseInvalid,
  TikTokApiError,
];

export const TIKTOK_FAILURE_TYPES: string[] = TIKTOK_FAILURE_CLASSES.map((c) => c.FAILURE_TYPE);

/** For `RetryPolicy.nonRetryableErrorTypes` of activities that call TikTok (the list the classes read their flag from). */
export { NON_RETRYABLE_TIKTOK_FAILURES };

/** Well-known codes, each from the published pages (docs/tiktok-shop-api-sources.md §4.3 and the endpoint pages). */
export const TIKTOK_CODES = {
  SUCCESS: 0, // §4.1
  TOO_MANY_REQUESTS: 36009002, // §4.3
  INTERNAL_ERROR: 36009003, // §4.3
  INVALID_CREDENTIALS_OR_IDENTIFIER: 36009004, // §2.4, §4.3
  REQUEST_TIMEOUT: 36009007, // §4.3
  ACCESS_TOKEN_INVALID: 105001, // §3.2
  ACCESS_TOKEN_EXPIRED: 105002, // §3.2
  SCOPE_NOT_GRANTED: 105005, // §3.2, §4.3
  INVALID_SIGN: 106001, // §2.4
  SHOP_CIPHER_MISSING: 106013, // §4.3
} as const;

// §4.3 (36009002) and §4.4 (45101004: customer-service daily quota of 10,000 requests).
const RATE_LIMITED_CODES = new Set([36009002, 45101004]);
// §4.3: 36009003 "internal error, retry", 36009007 "request timeout".
// §8: 25001028 "reverse lock failed" reads as lock contention on TikTok's side; we treat it as transient (our reading).
const UNAVAILABLE_CODES = new Set([36009003, 36009007, 25001028]);
const AUTH_REVOKED_CODES = new Set([105001]); // §3.2
// §3.2/§4.3 105005 scope; §2.4/§4.3 36009033 IP allow-list; §4.3 101000 token/cipher mismatch; §8 25020005 no
// permission; §7.2 12052220 prohibited category, 12052223/12052226 restricted category (Qualification Center).
const PERMISSION_DENIED_CODES = new Set([105005, 36009033, 101000, 25020005, 12052220, 12052223, 12052226]);
const SIGNATURE_INVALID_CODES = new Set([106001]); // §2.4
const INVALID_REQUEST_CODES = new Set([
  36009004, // §2.4: credentials / timestamp window / unexpected identifier / version (message refines it below)
  36009009, // §4.3 invalid path
  36009010, // §4.3 invalid HTTP method
  36009014, // §1, §4.3 invalid version name
  36009021, // §4.3 file too large
  36009022, // §4.3 body must be JSON or multipart
  36009023, // §4.3 content-type must be multipart
  106013, // §4.3 shop_cipher missing
  25001001, // §8 invalid param
  25001014, // §8 unknown reason
  25001015, // §8 reason not usable by the seller
  25001016, // §8 reason does not match the action
  25001020, // §8 reason offline
  25020004, // §8 decision does not match the return type (https://partner.tiktokshop.com/docv2/page/approve-return-202309)
  12052023, // §7.2 no such category
  12052024, // §7.2 not a leaf category
  12052230, // §7.2 wrong category version
  12052217, // §7.2 US needs category v2
  12052050, // §7.1 more than 100 SKUs
  21011022, // §6.2 invalid tracking number or provider id
  21004015, // §6.2 tracking number does not match the provider
  11028006, // §6.2 tracking number matches no carrier
  21008106, // §6.2 interface not usable in this region
  21011004, // §6.2 not shipped by sellers
  16003033, // §9 commission rate out of range
]);
// §8 25007006 order not found; §6.2 21011028 package does not belong to the current shop.
const NOT_FOUND_CODES = new Set([25007006, 21011028]);
const STATE_CONFLICT_CODES = new Set([
  25001003, // §8 invalid order status
  25001010, // §8 return already completed
  25001011, // §8 order already cancelled
  25001021, // §8 reason does not match the order status
  25001044, // §8 return cannot be approved
  25020009, // §8 return already cancelled by the buyer (https://partner.tiktokshop.com/docv2/page/approve-return-202309)
  25011010, // §8 the dispute went to the platform operator (https://partner.tiktokshop.com/docv2/page/reject-return-202309)
  21008099, // §6.2 package has been shipped
  11006021, // §6.2 package has been shipped
  21011043, // §6.2 package has not been shipped yet
  21011030, // §6.2 already delivered
  21011041, // §6.2 order cancelled
  21011042, // §6.2 order cancelled
  21011007, // §6.2 after-sale request pending
  21011035, // §6.2 split order not allowed
  10007002, // §6.2 shipping info cannot be updated in this order status
  12052038, // §7.2 product is in a promotion (price update)
  16003012, // §9 open collaboration already exists
]);

/** Picks the failure class for a response. The body `code` is the authority (§4.2); the HTTP status is the fallback. */
export function classifyTikTokError(input: {
  code: number | null;
  message?: string;
  httpStatus: number | null;
}): TikTokFailureClass {
  const { code, httpStatus } = input;
  const message = input.message ?? '';
  if (code !== null && code !== 0) {
    if (code === TIKTOK_CODES.ACCESS_TOKEN_EXPIRED) return TikTokAccessTokenExpired;
    if (RATE_LIMITED_CODES.has(code)) return TikTokRateLimited;
    if (UNAVAILABLE_CODES.has(code)) return TikTokUnavailable;
    if (SIGNATURE_INVALID_CODES.has(code)) return TikTokSignatureInvalid;
    if (AUTH_REVOKED_CODES.has(code)) return TikTokAuthRevoked;
    if (PERMISSION_DENIED_CODES.has(code)) return TikTokPermissionDenied;
    if (code === TIKTOK_CODES.INVALID_CREDENTIALS_OR_IDENTIFIER) {
      // §2.4: one code, many causes; the message tells them apart.
      if (/\bsign(ature)?\b/i.test(message)) return TikTokSignatureInvalid;
      if (/access[_ -]?token/i.test(message)) return TikTokAuthRevoked;
      return TikTokInvalidRequest;
    }
    if (INVALID_REQUEST_CODES.has(code)) return TikTokInvalidRequest;
    if (NOT_FOUND_CODES.has(code)) return TikTokNotFound;
    if (STATE_CONFLICT_CODES.has(code)) return TikTokStateConflict;
    // Unknown code: an HTTP 429/5xx still says "transient" (§4.2).
    const byStatus = classifyHttpStatus(httpStatus);
    if (byStatus === TikTokRateLimited || byStatus === TikTokUnavailable) return byStatus;
    return TikTokApiError;
  }
  return classifyHttpStatus(httpStatus) ?? TikTokResponseInvalid;
}

/** §4.2: 429 is rate limiting, 503 (and any 5xx) is overload; other statuses carry no documented meaning. */
function classifyHttpStatus(httpStatus: number | null): TikTokFailureClass | undefined {
  if (httpStatus === null) return TikTokUnavailable;
  if (httpStatus === 429) return TikTokRateLimited;
  if (httpStatus >= 500) return TikTokUnavailable;
  if (httpStatus === 401 || httpStatus === 403) return TikTokPermissionDenied;
  if (httpStatus >= 400) return TikTokInvalidRequest;
  return undefined;
}

/** A request that got no response (network error or our own timeout): retryable, and a write may have happened. */
export function noResponseFailure(err: unknown, request: { path: string; method: string }, timeoutMs: number) {
  const error = err instanceof Error ? err : new Error(String(err));
  const timeout = error.name === 'TimeoutError' || error.name === 'AbortError';
  const message = timeout ? `request timed out after ${timeoutMs} ms` : `network error: ${error.message}`;
  const info = { ...request, code: null, message, request_id: null, http_status: null, timeout, outcome_unknown: true };
  return new TikTokUnavailable(info, error);
}

/**
 * The envelope of a response body, or else the failure for a response without one: classified by its HTTP status
 * alone, a 2xx without an envelope being a contract violation.
 */
export function readEnvelope(
  text: string,
  status: number,
  request: { path: string; method: string },
): { envelope: TikTokEnvelope } | { failure: TikTokFailure } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = tiktokEnvelopeSchema.safeParse(json);
  if (parsed.success) return { envelope: parsed.data };
  const cls = classifyTikTokError({ code: null, httpStatus: status });
  const message = `response without a TikTok envelope: ${text.slice(0, 200)}`;
  return {
    failure: createTikTokFailure(cls, { ...request, code: null, message, request_id: null, http_status: status }),
  };
}

export function createTikTokFailure(cls: TikTokFailureClass, info: TikTokFailureDetails, cause?: Error): TikTokFailure {
  return new cls(info, cause);
}

/** True for any failure raised by this client, optionally of one type name. */
export function isTikTokFailure(err: unknown, type?: string): err is TikTokFailure {
  return err instanceof TikTokFailure && (type === undefined || err.type === type);
}
