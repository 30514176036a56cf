/**
 * Production refuses secrets that look typed by hand or left at a placeholder (issue 13 item 5): a shared or
 * guessable admin key or encryption key undoes every other control. Generated secrets pass easily: 32 random bytes
 * have about 30 distinct byte values, a generated API key about 25 distinct characters.
 */

const PLACEHOLDER = /change.?me|placeholder|password|example/i;
const MIN_DISTINCT_CHARS = 10;
const MIN_DISTINCT_KEY_BYTES = 16;

/** Why a free-form secret (an API key, a signing secret) is weak, or undefined when it is not. */
export function weakSecretReason(value: string): string | undefined {
  if (new Set(value).size < MIN_DISTINCT_CHARS) {
    return `has fewer than ${MIN_DISTINCT_CHARS} distinct characters (generate one: openssl rand -base64 32)`;
  }
  if (PLACEHOLDER.test(value)) return 'looks like a placeholder (generate one: openssl rand -base64 32)';
  return undefined;
}

/** Why a keyring (`id:base64Key,…`) holds a weak key (all zero, or too few distinct bytes), or undefined. */
export function weakKeyringReason(spec: string): string | undefined {
  for (const part of spec.split(',').map((s) => s.trim())) {
    const idx = part.indexOf(':');
    if (idx <= 0) continue; // malformed entries are reported when the keyring is parsed
    const key = Buffer.from(part.slice(idx + 1), 'base64');
    if (key.every((b) => b === 0)) return `key "${part.slice(0, idx)}" is all zero`;
    if (new Set(key).size < MIN_DISTINCT_KEY_BYTES) {
      return `key "${part.slice(0, idx)}" is not random (generate one: openssl rand -base64 32)`;
    }
  }
  return undefined;
}
