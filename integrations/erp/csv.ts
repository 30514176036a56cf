// CSV records with the line each starts on, read by csv-parse (RFC 4180: quoted fields holding commas, line breaks
// and doubled quotes; CRLF, LF or CR records; an optional UTF-8 BOM). https://csv.js.org/parse/options/
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** 1-based line on which the record starts (a quoted field can span lines). */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** What the import reports for csv-parse's quoting errors (its codes: https://csv.js.org/parse/errors/). */
const MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_INVALID_CLOSING_QUOTE: 'unexpected text after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field)',
};

const CR = 0x0d;
const LF = 0x0a;

/**
 * Line numbers by byte offset into the document (csv-parse reports where each record ends in bytes; its own line
 * count takes a CRLF inside a quoted field for two lines). CRLF, LF and a lone CR each end one line.
 */
class Lines {
  private offset = 0;
  private line = 1;
  constructor(private readonly bytes: Buffer) {}

  /** The line of the first byte at or after `from` that is not an empty line's break: where a record starts. */
  startingAt(from: number): number {
    let start = Math.max(from, this.offset);
    while (this.bytes[start] === CR || this.bytes[start] === LF) start++;
    this.advance(start);
    return this.line;
  }

  advance(to: number): void {
    for (; this.offset < to && this.offset < this.bytes.length; this.offset++) {
      const b = this.bytes[this.offset];
      if (b === LF || (b === CR && this.bytes[this.offset + 1] !== LF)) this.line++;
    }
  }
}

/**
 * Parses CSV text into records. Empty lines are dropped (an ERP export's trailing newline, blank separators). Rows
 * may have any number of fields (the catalog reports a row whose count differs from the header's). Throws
 * CsvSyntaxError for a quote inside an unquoted field, text after a closing quote, or an unterminated quoted field:
 * the document is then not trustworthy as a whole.
 */
export function parseCsv(text: string): CsvRecord[] {
  const bytes = Buffer.from(text, 'utf8');
  let rows: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info` each record comes as { record, info } (the typings describe plain records only).
    rows = parse(bytes, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as typeof rows;
  } catch (err) {
    if (err instanceof CsvError) {
      // The failing record starts after the last one read whole.
      const { bytes_records: read } = err as CsvError & { bytes_records?: number };
      const line = new Lines(bytes).startingAt(read ?? 0);
      throw new CsvSyntaxError(line, MESSAGES[err.code] ?? err.message);
    }
    throw err;
  }
  const lines = new Lines(bytes);
  let end = 0;
  return rows.map(({ record, info }) => {
    const line = lines.startingAt(end);
    end = info.bytes;
    return { line, fields: record };
  });
}
