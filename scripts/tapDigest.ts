/** Lines of a failure's diagnostics kept in the digest: enough for the assertion and its values, not the stack. */
const DIGEST_LINES = 30;

/**
 * The failed tests of a TAP report with their location and error, suites that failed only because a subtest did
 * left out. Printed again just before the final line, so a CI log that keeps only its tail still says what failed.
 */
export function failureDigest(tap: string): string[] {
  const lines = tap.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]!);
    if (!m) continue;
    const indent = m[1]!.length;
    const block: string[] = [];
    let j = i + 1;
    if (lines[j]?.trim() === '---') {
      for (j++; j < lines.length && lines[j]!.trim() !== '...'; j++) block.push(lines[j]!.slice(indent + 2));
    }
    if (block.some((l) => l.startsWith("failureType: 'subtestsFailed'"))) continue;
    const stackAt = block.findIndex((l) => l.startsWith('stack:'));
    const kept = (stackAt >= 0 ? block.slice(0, stackAt) : block).filter((l) => !l.startsWith('duration_ms:'));
    out.push([`✖ ${m[2]}`, ...kept.slice(0, DIGEST_LINES).map((l) => `    ${l}`)].join('\n'));
  }
  return out;
}
