// Failure type names that retry policies in workflow code refer to. Plain constants, so workflows can import them
// without pulling integration code into the sandbox; test/unit/failureTypes.test.ts keeps the TikTok ones equal to
// the classes in integrations/tiktok/errors.ts.
export const NON_RETRYABLE_TIKTOK_FAILURES = [
  'TikTokAuthRevoked',
  'TikTokPermissionDenied',
  'TikTokSignatureInvalid',
  'TikTokInvalidRequest',
  'TikTokNotFound',
  'TikTokStateConflict',
  'TikTokResponseInvalid',
  'TikTokApiError',
] as const;

/** A shop's TikTok calls wait while its authorization is revoked: retried, never failed. */
export const SHOP_AUTHORIZATION_PAUSED = 'ShopAuthorizationPaused';
export const SHOP_NOT_CONNECTED = 'ShopNotConnected';
export const UNSUPPORTED_REGION = 'UnsupportedRegion';

/** Failure types of the order activities that retrying cannot fix. */
export const UNKNOWN_CARRIER = 'UnknownCarrier';
export const ORDER_NOT_FOUND = 'OrderNotFound';

/**
 * Human-step updates (docs/case-contract.md): a validator refuses a decision sent after the step's deadline with
 * DeadlinePassed (the API answers 409) and a decision that is not one of the allowed ones with InvalidDecision (422).
 */
export const DEADLINE_PASSED = 'DeadlinePassed';
export const INVALID_DECISION = 'InvalidDecision';

/** Search Returns does not know the return (a webhook for another app's return, a typo in an API call). */
export const RETURN_NOT_FOUND = 'ReturnNotFound';
