// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas, line breaks and
// doubled quotes (""), CRLF or LF records, an optional UTF-8 BOM. No dependency: nothing CSV is installed.

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

/**
 * Parses CSV text into records. Empty lines are dropped (an ERP export's trailing newline, blank separators); a
 * record of one empty field is an empty line. Throws CsvSyntaxError for a quote inside an unquoted field, text after
 * a closing quote, or an unterminated quoted field: the document is then not trustworthy as a whole.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false; // the current field started with a quote
  let afterQuote = false; // the current quoted field has been closed

  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < src.length) {
    const c = src[i]!;
    if (quoted && !afterQuote) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        afterQuote = true;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === ',') {
      endField();
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (afterQuote) throw new CsvSyntaxError(line, 'unexpected text after a closing quote');
    if (c === '"') {
      if (field !== '') throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field)');
      quoted = true;
      i++;
      continue;
    }
    field += c;
    i++;
  }
  if (quoted && !afterQuote) throw new CsvSyntaxError(recordLine, 'unterminated quoted field');
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return records;
}
