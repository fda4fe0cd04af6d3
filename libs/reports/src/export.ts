import { StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

export type ReportFormat = 'json' | 'csv' | 'xlsx';

/** One column of an export: the Vietnamese header and how to read the cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null;
  width?: number;
}

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Streams rows into a CSV (UTF-8 with BOM, so spreadsheet programs read the diacritics) or an
 * XLSX file while they are read page by page: a 300,000-row export never sits in memory whole.
 */
export function exportFile<T>(format: 'csv' | 'xlsx', name: string, columns: Column<T>[], rows: AsyncIterable<T>): StreamableFile {
  const out = new PassThrough();
  const fill = format === 'csv' ? writeCsv(out, columns, rows) : writeXlsx(out, name, columns, rows);
  fill.catch((error: Error) => out.destroy(error));
  const filename = `${name}.${format}`;
  return new StreamableFile(out, {
    type: TYPES[format],
    disposition: `attachment; filename="${filename.normalize('NFD').replace(/[^\x20-\x7e]/g, '')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  });
}

/** A text cell starting with = + - @ would be read as a formula by spreadsheet programs: quote it. */
function cell(value: string | number | null): string | number {
  if (value === null) return '';
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

async function write(stream: Writable, chunk: unknown): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function writeCsv<T>(out: PassThrough, columns: Column<T>[], rows: AsyncIterable<T>): Promise<void> {
  out.write('\uFEFF');
  const csv = stringify({ header: true, columns: columns.map((c) => c.header) });
  csv.pipe(out);
  for await (const row of rows)
    await write(
      csv,
      columns.map((c) => cell(c.value(row))),
    );
  csv.end();
}

async function writeXlsx<T>(out: PassThrough, name: string, columns: Column<T>[], rows: AsyncIterable<T>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(name.slice(0, 31));
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const row of rows) {
    sheet.addRow(columns.map((c) => cell(c.value(row)))).commit();
    if (out.writableNeedDrain) await once(out, 'drain');
  }
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
