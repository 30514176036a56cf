/**
 * The hash chain of the monthly tax reports (issue 20 item 3: "a hash-chained record of each month's inputs, rule
 * versions and outputs lets any month be rebuilt exactly"). Pure.
 *
 * - A month's lines are digested as a multiset: the sum, modulo 2^256, of each line's SHA-256. The sum does not depend
 *   on the order the lines are read in or on how the reading is split across activity calls, so a rebuild that reads
 *   the same rows (even re-imported under new ids) gets the same digest, and one changed, added or removed line
 *   changes it.
 * - A report's hash is SHA-256 over its inputs digest, its rule versions, its outputs digest and the shop's previous
 *   report hash: changing any earlier report breaks every later link.
 */
import crypto from 'node:crypto';

export const sha256Hex = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

const MOD = 1n << 256n;

/** An order-independent digest of many items (see above); `hex` is stored between activity calls. */
export class MultisetDigest {
  private sum: bigint;
  constructor(hex = '0') {
    this.sum = BigInt(`0x${hex}`);
  }
  add(item: string): void {
    this.sum = (this.sum + BigInt(`0x${sha256Hex(item)}`)) % MOD;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

export interface ChainLink {
  inputsDigest: string;
  ruleVersions: readonly string[];
  outputsDigest: string;
  previousHash: string | null;
}

/** The report's hash: over inputs digest, rule versions, outputs digest and the previous hash. */
export const chainHash = (link: ChainLink): string =>
  sha256Hex(
    canonicalJson({
      inputsDigest: link.inputsDigest,
      ruleVersions: [...link.ruleVersions].sort(),
      outputsDigest: link.outputsDigest,
      previousHash: link.previousHash ?? '',
    }),
  );
