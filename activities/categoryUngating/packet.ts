// The application packet of a category application (issue 19 item 3): a checklist of what the category needs and
// which vault document answers each, the rejections so far and their reasons, then each document with its metadata
// (PNG images printed; PDFs and other images named by their SHA-256, the file store's id, and uploaded beside the
// packet in Seller Center: pdfkit cannot embed another PDF's pages). Pure: the activity reads the rows and bytes.
import type { CertificateRow } from '../../db/certificates';
import type { PdfBlock, PdfDoc, PdfSection } from '../../pdf/render';
import { certificateTypeRule } from '../../policy/certificateRules';
import type { UngatingAttempt, UngatingDocumentCheck } from '../../workflows/categoryUngating/messages';

export interface PacketRequirement {
  documentType: string;
  why: string;
  conditional?: string;
}

export interface PacketInput {
  shopId: string;
  categoryId: string;
  categoryLabel: string;
  attempt: number;
  round: number;
  /** The data's own time (the workflow's, when the packet was asked for): rebuilds are byte-identical. */
  asOf: string;
  requirements: PacketRequirement[];
  check: UngatingDocumentCheck;
  rejections: Pick<UngatingAttempt, 'attempt' | 'decidedAt' | 'reasons'>[];
  /** The documents of `check.satisfied`, with their bytes when they are PNG images. */
  documents: { row: CertificateRow; png?: Buffer }[];
}

const labelOf = (type: string) => certificateTypeRule(type)?.value.label ?? type;
const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

export function packetDocument(p: PacketInput): PdfDoc {
  const byId = new Map(p.documents.map((d) => [d.row.certificate_id, d.row]));
  const checklist = p.requirements.map((req) => {
    const ok = p.check.satisfied.find((s) => s.documentType === req.documentType);
    const missing = p.check.missing.find((m) => m.documentType === req.documentType);
    const row = ok ? byId.get(ok.certificateId) : undefined;
    const status = ok ? 'provided' : missing?.reason === 'expired' ? `EXPIRED ${dash(missing.expiredOn)}` : 'MISSING';
    return [
      labelOf(req.documentType),
      req.conditional ? `${req.why} (only: ${req.conditional})` : req.why,
      status,
      dash(row?.identifier),
      dash(row?.issuer),
      dash(row?.expires_on),
    ];
  });
  const sections: PdfSection[] = [
    {
      heading: 'Checklist',
      note: `${p.check.satisfied.length} of ${p.requirements.length} required documents provided`,
      blocks: [
        {
          kind: 'table',
          columns: ['Document', 'Required because', 'Status', 'Identifier', 'Issuer', 'Expires'],
          rows: checklist,
        },
      ],
    },
  ];
  if (p.rejections.length) {
    sections.push({
      heading: 'Previous rejections',
      note: 'What TikTok gave as reasons, and what this submission answers',
      blocks: [
        {
          kind: 'table',
          columns: ['Attempt', 'Decided', 'Reasons'],
          rows: p.rejections.map((r) => [String(r.attempt), dash(r.decidedAt), (r.reasons ?? []).join('; ') || '—']),
        },
      ],
    });
  }
  for (const { row, png } of p.documents) {
    const blocks: PdfBlock[] = [
      {
        kind: 'fields',
        rows: [
          ['Document type', labelOf(row.document_type)],
          ['Issuer', dash(row.issuer)],
          ['Product', dash(row.product)],
          ['Lot', dash(row.lot)],
          ['Identifier', dash(row.identifier)],
          ['Issued', dash(row.issued_on)],
          ['Expires', dash(row.expires_on)],
          ['Vault certificate', row.certificate_id],
          ['File (SHA-256)', row.file_id],
          ['Format', `${row.mime_type}, ${row.size_bytes} bytes`],
        ],
      },
    ];
    if (png) blocks.push({ kind: 'image', png, caption: `${labelOf(row.document_type)}: the document as uploaded` });
    else
      blocks.push({
        kind: 'paragraph',
        text: 'Attached beside this packet as its own file (the file store keeps it under the SHA-256 above).',
      });
    sections.push({ heading: labelOf(row.document_type), blocks });
  }
  return {
    title: `Category application: ${p.categoryLabel}`,
    subtitle: `Shop ${p.shopId} · category ${p.categoryId} · round ${p.round}, submission ${p.attempt}`,
    createdAt: new Date(p.asOf),
    sections,
  };
}
