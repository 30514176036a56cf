// The text of a PDF as a reader would copy it, page by page, for tests that assert a document's values (issue 16:
// evidence bundles; appeals, ungating and tax documents reuse it). pdf-parse 2 (PDF.js underneath).
import { PDFParse } from 'pdf-parse';

export interface PdfTextResult {
  pageCount: number;
  /** Each page's text, lines joined with "\n". */
  pages: string[];
  /** Every page's text, pages joined with "\n". */
  text: string;
  /** The info dictionary's Title. */
  title?: string;
  /** The info dictionary's CreationDate. */
  creationDate?: Date;
}

export async function pdfText(bytes: Buffer): Promise<PdfTextResult> {
  // PDF.js takes ownership of (and detaches) the buffer it is given: pass a copy.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const text = await parser.getText({ pageJoiner: '' });
    const info = await parser.getInfo();
    const pages = text.pages.map((p) => p.text);
    const title = (info.info as { Title?: unknown } | undefined)?.Title;
    const creationDate = info.getDateNode().CreationDate ?? undefined;
    return {
      pageCount: info.total,
      pages,
      text: pages.join('\n'),
      ...(typeof title === 'string' && title !== '' ? { title } : {}),
      ...(creationDate ? { creationDate } : {}),
    };
  } finally {
    await parser.destroy();
  }
}

/** Text with runs of whitespace (line breaks of wrapped cells included) collapsed to one space. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
