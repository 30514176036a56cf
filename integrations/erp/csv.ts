// CSV records with the line each starts on, read by csv-parse (RFC 4180: quoted fields holding commas, line breaks
// and doubled quotes; CRLF or LF records; an optional UTF-8 BOM). https://csv.js.org/parse/options/
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

const lineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * Parses CSV text into records. Empty lines are dropped (an ERP export's trailing newline, blank separators). Rows
 * may have any number of fields (the catalog reports a row whose count differs from the header's). Throws
 * CsvSyntaxError for a quote inside an unquoted field, text after a closing quote, or an unterminated quoted field:
 * the document is then not trustworthy as a whole.
 */
export function parseCsv(text: string): CsvRecord[] {
  let rows: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    // With `info` and `raw` each record comes as { record, info, raw } (the typings describe plain records only).
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as unknown as typeof rows;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines ?? 1;
      throw new CsvSyntaxError(line, MESSAGES[err.code] ?? err.message);
    }
    throw err;
  }
  // csv-parse counts lines up to a record's end; a record starts that many line breaks earlier as its raw text holds.
  return rows.map(({ record, raw, info }) => ({
    line: info.lines - lineBreaks(raw.replace(/(\r\n|\r|\n)$/, '')),
    fields: record,
  }));
}
