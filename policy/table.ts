/**
 * Platform rules as data: each row is a value for a region and key, in force from a date, with its source.
 * A change of platform rule is a new row (and a test), never a code edit. Workflows read policy through an
 * activity, so the value they used is recorded in their history and replays never see a newer row.
 */
export interface PolicyRow<T = unknown> {
  region: string;
  key: string;
  value: T;
  /** ISO date (inclusive) from which the value applies. */
  effectiveFrom: string;
  /** Where the value comes from: the public page (with its revision or URL) or the product decision behind it. */
  source: string;
  /** True where sources disagree or the value is unconfirmed; such values are meant to be overridden. */
  uncertain?: boolean;
}

export class PolicyNotFoundError extends Error {
  override name = 'PolicyNotFoundError';
}

export function policyValue<T>(rows: readonly PolicyRow[], region: string, key: string, at: Date): PolicyRow<T> {
  const day = at.toISOString().slice(0, 10);
  const candidates = rows
    .filter((r) => r.region === region && r.key === key && r.effectiveFrom <= day)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  const row = candidates[0];
  if (!row) throw new PolicyNotFoundError(`no policy ${key} for region ${region} at ${day}`);
  return row as PolicyRow<T>;
}
