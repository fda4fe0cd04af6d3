import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';

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
}

export const IMPORT_COLUMNS = ['code', 'name', 'tier', 'parentCode', 'contactEmails', 'congressType', 'pilot'] as const;

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
