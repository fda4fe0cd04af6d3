import { StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

export type ReportFormat = 'json' | 'csv' | 'xlsx';

/**
 * How a cell is written: text; number (a real number in XLSX); date (the row gives 'YYYY-MM-DD';
 * a real date shown dd/mm/yyyy in XLSX, dd/mm/yyyy text in CSV); percent (the row gives 0..100,
 * XLSX shows 0.00%).
 */
export type ColumnType = 'text' | 'number' | 'date' | 'percent';

/** One column of an export: the Vietnamese header and how to read the cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null;
  width?: number;
  type?: ColumnType;
  /** In the XLSX totals row: the sum of the column, or how many rows (both follow the autofilter: SUBTOTAL). */
  total?: 'sum' | 'count';
}

/** What a file says about itself: the report's name, the subtree and the day its figures hold for. */
export interface ExportMeta {
  /** The file name, without extension (also the sheet's name, cut to 31 characters). */
  name: string;
  /** The report's name as people read it: "Danh sách đơn vị quá hạn". */
  title: string;
  /** The subtree's root: "Đảng bộ tỉnh Thái Bình (T1)". */
  subtree: string;
  /** 'YYYY-MM-DD', Vietnam time. */
  asOf: string;
}

/** The CSV separator: ',' by default, ';' for spreadsheet programs in a Vietnamese locale (where ',' is the decimal mark). */
export type CsvSeparator = ',' | ';';

/** Rows above the header in the XLSX file: the title, then the subtree and the as-of date. */
export const XLSX_TITLE_ROWS = 2;
/** Data rows an XLSX sheet can take: 1,048,576 rows in all, less the title rows, the header and the totals row. */
export const XLSX_MAX_DATA_ROWS = 1_048_576 - XLSX_TITLE_ROWS - 2;
export const TOTALS_LABEL = 'Tổng cộng';

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const vnDate = (iso: string) => iso.split('-').reverse().join('/');

/**
 * Streams rows into a CSV (UTF-8 with BOM, so spreadsheet programs read the diacritics) or an
 * XLSX file while they are read page by page: a 300,000-row export never sits in memory whole.
 * The XLSX file opens ready to hand upward: a title row (report, subtree, as-of date), a frozen
 * header with an autofilter, real numbers and dates (dd/mm/yyyy), and a totals row.
 */
export function exportFile<T>(
  format: 'csv' | 'xlsx',
  meta: ExportMeta,
  columns: Column<T>[],
  rows: AsyncIterable<T>,
  separator: CsvSeparator = ',',
): StreamableFile {
  const out = new PassThrough();
  const fill = format === 'csv' ? writeCsv(out, columns, rows, separator) : writeXlsx(out, meta, columns, rows);
  fill.catch((error: Error) => out.destroy(error));
  const filename = `${meta.name}.${format}`;
  return new StreamableFile(out, {
    type: TYPES[format],
    disposition: `attachment; filename="${filename.normalize('NFD').replace(/[^\x20-\x7e]/g, '')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  });
}

/** A text cell starting with = + - @ would be read as a formula by spreadsheet programs: quote it. */
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: string | number | null, type: ColumnType | undefined): string | number {
  if (value === null) return '';
  if (type === 'date' && typeof value === 'string') return vnDate(value);
  return typeof value === 'string' ? safeText(value) : value;
}

function xlsxCell(value: string | number | null, type: ColumnType | undefined): string | number | Date | null {
  if (value === null || value === '') return null;
  switch (type) {
    case 'date':
      return typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : value;
    case 'percent':
      return Number(value) / 100;
    case 'number':
      return Number(value);
    default:
      return typeof value === 'string' ? safeText(value) : value;
  }
}

const NUM_FMT: Record<ColumnType, string | undefined> = { text: undefined, number: '#,##0', date: 'dd/mm/yyyy', percent: '0.00%' };

/** CSV lines formatted and written as one chunk: a few hundred kB, not one stream write per row. */
const CSV_BATCH_ROWS = 1000;

/**
 * Waits until `stream` drains, or the download is gone (`out` closed: the client went away, and
 * Fastify destroyed the stream it was sending), so that an abandoned export never waits forever.
 */
async function drained(stream: NodeJS.EventEmitter, out: Writable): Promise<void> {
  if (out.destroyed) return;
  const stop = new AbortController();
  try {
    await Promise.race([once(stream, 'drain', { signal: stop.signal }), once(out, 'close', { signal: stop.signal })]);
  } finally {
    stop.abort();
  }
}

/** Writes a chunk and waits while the reader is behind; false once the download is gone. */
async function send(out: PassThrough, chunk: string): Promise<boolean> {
  if (out.destroyed) return false;
  if (!out.write(chunk)) await drained(out, out);
  return !out.destroyed;
}

async function writeCsv<T>(out: PassThrough, columns: Column<T>[], rows: AsyncIterable<T>, delimiter: CsvSeparator): Promise<void> {
  const headers = columns.map((c) => c.header);
  let header = true;
  let batch: (string | number)[][] = [];
  const flush = () => {
    const text = stringify(batch, { header, delimiter, columns: headers });
    header = false;
    batch = [];
    return send(out, text);
  };
  if (!(await send(out, '\uFEFF'))) return;
  for await (const row of rows) {
    batch.push(columns.map((c) => csvCell(c.value(row), c.type)));
    if (batch.length >= CSV_BATCH_ROWS && !(await flush())) return;
  }
  if (await flush()) out.end();
}

/**
 * The zip entry ExcelJS writes a sheet's XML into. Its writer (StreamBuf) pushes into it without
 * looking at backpressure, so when compression is slower than the rows come, the XML piles up
 * there (tens of MB for a national list): the rows wait for it to drain instead. ExcelJS 4's and
 * archiver's internals (`_stream.pipes`, a readable-stream PassThrough, not a core Writable); when
 * they are not there, only the output's backpressure applies.
 */
function sheetEntry(sheet: ExcelJS.Worksheet): ZipEntry | undefined {
  const entry = (sheet as unknown as { _stream?: { pipes?: unknown[] } })._stream?.pipes?.[0] as Partial<ZipEntry> | undefined;
  return typeof entry?._writableState?.needDrain === 'boolean' && typeof entry.once === 'function' ? (entry as ZipEntry) : undefined;
}

interface ZipEntry extends NodeJS.EventEmitter {
  _writableState: { needDrain: boolean };
}

/** A1-style column letters of the 1-based column n. */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

async function writeXlsx<T>(out: PassThrough, meta: ExportMeta, columns: Column<T>[], rows: AsyncIterable<T>): Promise<void> {
  const headerRow = XLSX_TITLE_ROWS + 1;
  const last = columnLetter(columns.length);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  workbook.creator = 'Theo dõi chuẩn bị đại hội';
  const sheet = workbook.addWorksheet(meta.name.slice(0, 31), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
  });
  sheet.columns = columns.map((c) => ({ width: c.width ?? (c.type === 'date' ? 13 : 16) }));
  columns.forEach((c, i) => {
    const fmt = NUM_FMT[c.type ?? 'text'];
    if (fmt) sheet.getColumn(i + 1).numFmt = fmt;
  });
  sheet.autoFilter = `A${headerRow}:${last}${headerRow}`;

  const title = sheet.getRow(1);
  title.getCell(1).value = meta.title;
  title.font = { bold: true, size: 14 };
  title.commit();
  const sub = sheet.getRow(2);
  sub.getCell(1).value = `Đơn vị: ${meta.subtree}. Số liệu tính đến ngày ${vnDate(meta.asOf)}`;
  sub.font = { italic: true };
  sub.commit();

  const header = sheet.getRow(headerRow);
  header.values = columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();

  const sums = columns.map(() => 0);
  let count = 0;
  for await (const row of rows) {
    const values = columns.map((c, i) => {
      const v = xlsxCell(c.value(row), c.type);
      if (c.total === 'sum' && typeof v === 'number') sums[i] += v;
      return v;
    });
    count++;
    sheet.addRow(values).commit();
    const entry = sheetEntry(sheet);
    if (entry?._writableState.needDrain) await drained(entry, out);
    if (out.writableNeedDrain) await drained(out, out);
    if (out.destroyed) return;
  }

  // The totals row: SUBTOTAL formulas (they follow the autofilter) with their values cached for readers that do not compute.
  const first = headerRow + 1;
  const lastData = headerRow + count;
  const totals = sheet.getRow(lastData + 1);
  totals.getCell(1).value = TOTALS_LABEL;
  columns.forEach((c, i) => {
    if (!c.total) return;
    const col = columnLetter(i + 1);
    const range = `${col}${first}:${col}${Math.max(lastData, first)}`;
    totals.getCell(i + 1).value =
      c.total === 'sum' ? { formula: `SUBTOTAL(109,${range})`, result: sums[i] } : { formula: `SUBTOTAL(103,${range})`, result: count };
    if (c.total === 'count') totals.getCell(i + 1).numFmt = NUM_FMT.number!;
  });
  totals.font = { bold: true };
  totals.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
  totals.commit();
  sheet.commit();
  await workbook.commit();
}

/** Reads a keyset-paged query until it runs out. */
export async function* pages<T>(fetch: (after: T | null) => Promise<T[]>): AsyncIterable<T> {
  let after: T | null = null;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield* rows;
    after = rows[rows.length - 1];
  }
}
