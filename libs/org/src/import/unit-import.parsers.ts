import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { DomainError, findUnsafeStrings } from '@app/core';

/** One data row of an import file, as read: every field a string (or absent). */
export interface RawUnitRow {
  code?: unknown;
  name?: unknown;
  tier?: unknown;
  parentCode?: unknown;
  contactEmails?: unknown;
  /** full | three_contents | two_contents; left out or empty keeps the stored value (new units: full). */
  congressType?: unknown;
  /** true/false (1/0, có/không); left out or empty keeps the stored value (new units: false). */
  pilot?: unknown;
  /** The committee's name ("Huyện ủy Vũ Thư"), 1-300 characters; left out keeps the stored value, empty clears it. */
  committeeName?: unknown;
}

export const IMPORT_COLUMNS = ['code', 'name', 'tier', 'parentCode', 'contactEmails', 'congressType', 'pilot', 'committeeName'] as const;

function normaliseHeader(header: string): string {
  const h = header.replace(/^\uFEFF/, '').trim();
  const known = IMPORT_COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase().replace(/[\s_]/g, ''));
  return known ?? h;
}

/** Streams CSV rows (UTF-8, optional BOM, header row with the column names). */
export async function* readCsv(stream: Readable): AsyncIterable<RawUnitRow> {
  const parser = stream.pipe(
    parse({
      bom: true,
      columns: (headers: string[]) => headers.map(normaliseHeader),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }),
  );
  for await (const record of parser) yield record as RawUnitRow;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return formulaResult(value.result);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if ('error' in value) return value.error;
  }
  // Numbers and booleans (and any cell kind ExcelJS adds later, read as before).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(value);
}

/** A formula cell's cached result: a date, a text, a number, a boolean, or an error code. */
function formulaResult(result: ExcelJS.CellFormulaValue['result']): string {
  if (result === undefined || result === null) return '';
  if (result instanceof Date) return result.toString();
  return typeof result === 'object' ? result.error : String(result);
}

/** Streams the first worksheet of an XLSX file; the first row holds the column names. */
export async function* readXlsx(stream: Readable): AsyncIterable<RawUnitRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  for await (const worksheet of workbook) {
    let headers: string[] | null = null;
    for await (const row of worksheet) {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      if (!headers) {
        headers = values.map(normaliseHeader);
        continue;
      }
      if (values.every((v) => v.trim() === '')) continue;
      const record: Record<string, string> = {};
      headers.forEach((h, i) => (record[h] = (values[i] ?? '').trim()));
      yield record;
    }
    return; // only the first worksheet
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Streams the elements of a JSON array (the import's JSON body) without holding the body: each
 * element's text is cut out by a small scanner (strings, escapes and nesting) and parsed on its
 * own, so memory holds one element at a time and not the 30 MB text nor its 300,000 objects.
 * `limitBytes` refuses a body over the route's limit as it arrives (413 PAYLOAD_TOO_LARGE); a body
 * that is not a JSON array, or an element that is not valid JSON, is a 400 naming it; strings with
 * a NUL or a lone surrogate are refused as in every other body.
 */
export async function* readJsonArray(chunks: AsyncIterable<Buffer | string>, limitBytes: number): AsyncIterable<RawUnitRow> {
  const notArray = () =>
    DomainError.validation([{ field: 'body', reason: 'must be a JSON array of units, or a multipart CSV/XLSX upload' }]);
  const decoder = new StringDecoder('utf8');
  let received = 0;
  let state = 'before' as 'before' | 'first' | 'next' | 'in' | 'after';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pending = '';
  let index = 0;
  const element = (text: string): RawUnitRow => {
    const at = `[${index++}]`;
    if (text.trim() === '') throw DomainError.validation([{ field: `body${at}`, reason: 'is missing (an extra comma?)' }]);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw DomainError.validation([{ field: `body${at}`, reason: 'is not valid JSON' }], 'Malformed request body');
    }
    const unsafe = findUnsafeStrings(value, at);
    if (unsafe.length > 0) throw DomainError.validation(unsafe);
    return value as RawUnitRow;
  };
  for await (const chunk of chunks) {
    received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (received > limitBytes) throw new DomainError('PAYLOAD_TOO_LARGE', 'The upload is over the import limit');
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const rows: RawUnitRow[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (state === 'in') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if ((c === 0x7d || c === 0x5d) && depth > 0) depth--;
        else if (depth === 0 && (c === 0x2c || c === 0x5d)) {
          rows.push(element(pending + text.slice(start, i)));
          pending = '';
          state = c === 0x2c ? 'next' : 'after';
        }
        continue;
      }
      if (WS.has(c)) continue;
      if (state === 'before') {
        if (c !== 0x5b) throw notArray();
        state = 'first';
      } else if (state === 'after') {
        throw DomainError.validation([{ field: 'body', reason: 'has more after the end of the array' }], 'Malformed request body');
      } else if (state === 'first' && c === 0x5d) {
        state = 'after';
      } else {
        state = 'in';
        depth = 0;
        start = i;
        i--; // read this character again as the element's first
      }
    }
    if (state === 'in') pending += text.slice(start);
    yield* rows;
  }
  if (state === 'before') throw notArray();
  if (state !== 'after')
    throw DomainError.validation([{ field: 'body', reason: 'ends before the array is closed' }], 'Malformed request body');
}
