import ExcelJS from 'exceljs';
import type { ApiResponse, TestApp } from '../setup/test-app';

export const IMPORT_PATH = '/api/units/import';

/** POST /api/units/import with a JSON array (admin token unless another is given). */
export function importJson(t: TestApp, rows: unknown[], token = t.adminToken): Promise<ApiResponse> {
  return t.request('POST', IMPORT_PATH, { token, body: rows });
}

/** POST /api/units/import as a multipart upload in the field "file"; fetch sets the boundary itself. */
export function importFile(t: TestApp, file: Blob, filename: string, token = t.adminToken): Promise<ApiResponse> {
  const form = new FormData();
  form.append('file', file, filename);
  return t.request('POST', IMPORT_PATH, { token, raw: form });
}

const COLUMNS = ['code', 'name', 'tier', 'parentCode', 'contactEmails'] as const;

/** A row of an import file; any strings, so that files with bad values can be built too. */
export type FileRow = { [K in (typeof COLUMNS)[number]]?: string };

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file of the rows (UTF-8, CRLF, optionally with a byte-order mark as Excel writes it). */
export function toCsv(rows: FileRow[], options: { bom?: boolean } = {}): Blob {
  const lines = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c] ?? '')).join(','))];
  return new Blob([(options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n'], { type: 'text/csv' });
}

/** An XLSX workbook with one sheet: a header row, then one row per unit. */
export async function toXlsx(rows: FileRow[]): Promise<Blob> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Đơn vị');
  sheet.addRow([...COLUMNS]);
  for (const r of rows) sheet.addRow(COLUMNS.map((c) => r[c] ?? ''));
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

export interface UnitRecord {
  id: number;
  code: string;
  name: string;
  tier: string;
  parentId: number | null;
  path: string;
  depth: number;
}

/** A unit as stored, read with SQL (bypasses the API). */
export async function unitByCode(t: TestApp, code: string): Promise<UnitRecord> {
  const { rows } = await t.db.query(`SELECT id, code, name, tier, parent_id AS "parentId", path, depth FROM units WHERE code = $1`, [code]);
  if (rows.length !== 1) throw new Error(`unit ${code} not found`);
  return rows[0];
}

export async function unitCount(t: TestApp): Promise<number> {
  const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM units`);
  return rows[0].n;
}

/** Codes of a unit's children through the API (one page of up to 500). */
export async function childCodes(t: TestApp, parentId: number, token = t.adminToken): Promise<string[]> {
  const res = await t.request('GET', `/api/units?parentId=${parentId}&pageSize=500`, { token });
  if (res.status !== 200) throw new Error(`list failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.items as { code: string }[]).map((u) => u.code).sort();
}
