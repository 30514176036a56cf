/**
 * `node dist/scripts/evidencePageImage.js [out.png]`: the example page in the README. Prints the sample case
 * (evidence/sample.ts) as an evidence bundle and renders its page 1 with pdftoppm (poppler-utils) to
 * docs/evidence-bundle-page1.png. The same data gives the same PDF, so the image changes only with the layout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../config';
import { bundleDocument } from '../evidence/bundleDocument';
import { SAMPLE_EVIDENCE } from '../evidence/sample';
import { renderPdf } from '../pdf/render';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'docs', 'evidence-bundle-page1.png'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-evidence-'));
  try {
    const pdf = path.join(dir, 'bundle.pdf');
    fs.writeFileSync(pdf, await renderPdf(bundleDocument(SAMPLE_EVIDENCE)));
    // 80 dpi: a Letter page at 680 × 880 px, readable on a README page.
    execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '80', '-png', '-singlefile', pdf, path.join(dir, 'page')]);
    fs.copyFileSync(path.join(dir, 'page.png'), out);
    process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
