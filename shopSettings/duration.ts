// Sandbox-safe (no Node built-ins, no zod): workflows import parseDuration from here, never from ./schema.ts, whose
// zod schemas would enter the workflow bundle and be evaluated again for every cached workflow (test/unit/workflowBundle.test.ts).
import { msToNumber, type Duration } from '@temporalio/common/lib/time';

/** A duration in milliseconds, or a sentence saying why `text` is not a usable one. */
export function parseDuration(text: string): { ms: number } | { error: string } {
  let ms: number;
  try {
    ms = msToNumber(text as Duration);
  } catch {
    return { error: `'${text}' is not a duration: write a number and a unit, e.g. '48h', '30m', '2.5s'` };
  }
  // ms() reads a bare number as milliseconds: '24' would be 24 ms where a seller meant hours.
  if (!/[a-z]\s*$/i.test(text))
    return { error: `'${text}' has no unit: write e.g. '${text}h', '${text}m' or '${text}s'` };
  if (!(ms > 0)) return { error: `'${text}' must be longer than zero` };
  if (!Number.isInteger(ms)) return { error: `'${text}' is not a whole number of milliseconds` };
  return { ms };
}
