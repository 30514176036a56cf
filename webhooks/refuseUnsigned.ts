import type { FailureLimiter } from '../api/failureLimiter';
import type { DeadLetterRepository } from '../db/deadLetters';

/** Where a request came from, and the per-address limit on failed signatures (api/failureLimiter.ts). */
export interface IngestOrigin {
  remoteAddress: string;
  limiter?: FailureLimiter;
}

export type Refusal = { status: 401; reason: string; deadLetterId: number } | { status: 429; reason: string };

/**
 * A webhook whose signature failed, as every receiver refuses one: only its hash, first 4 KB and a count are kept
 * (nobody without the secret fills the database), and past the per-address limit on failed signatures nothing at all
 * (429). The headers kept are the ones needed to replay it once the cause is fixed; a signature is not a secret.
 */
export async function refuseUnsigned(
  deadLetters: DeadLetterRepository,
  input: { source: string; reason: string; rawBody: Buffer; headers: Record<string, string | undefined> },
  origin: IngestOrigin,
): Promise<Refusal> {
  if (origin.limiter?.limited(origin.remoteAddress)) {
    return { status: 429, reason: 'too many webhooks with an invalid signature from this address' };
  }
  origin.limiter?.fail(origin.remoteAddress);
  const deadLetterId = await deadLetters.recordUnauthenticated({ ...input, remoteAddress: origin.remoteAddress });
  return { status: 401, reason: input.reason, deadLetterId };
}
