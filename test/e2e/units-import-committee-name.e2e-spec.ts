import ExcelJS from 'exceljs';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { importFile, importJson } from '../factories/import';

/**
 * Rule: the import takes `committeeName` (JSON, CSV, XLSX); a column left out keeps the stored
 * value, an empty cell clears it, a name over 300 characters is refused on its row.
 */
function csv(header: string[], rows: string[][]): Blob {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return new Blob([[header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n'], { type: 'text/csv' });
}

async function xlsx(header: string[], rows: string[][]): Promise<Blob> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Đơn vị');
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(r);
  return new Blob([await workbook.xlsx.writeBuffer()], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

describe('unit import: committeeName (a column left out keeps the stored value)', () => {
  let t: TestApp;
  const committee = async (code: string) =>
    (await t.db.query(`SELECT committee_name AS c FROM units WHERE code = $1`, [code])).rows[0]?.c as string | null;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('JSON: sets the committee name of new and existing units; left out keeps it; empty clears it', async () => {
    const created = await importJson(t, [
      { code: 'VT', name: 'Đảng bộ huyện Vũ Thư', tier: 'district', parentCode: '', committeeName: 'Huyện ủy Vũ Thư' },
      { code: 'VH', name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots', parentCode: 'VT' },
    ]);
    expect(created.status).toBe(200);
    expect(await committee('VT')).toBe('Huyện ủy Vũ Thư');
    expect(await committee('VH')).toBeNull();
    const id = (await t.db.query(`SELECT id FROM units WHERE code = 'VT'`)).rows[0].id;
    expect((await t.request('GET', `/api/units/${id}`, { token: t.adminToken })).body.committeeName).toBe('Huyện ủy Vũ Thư');

    // Left out: kept (and the row is unchanged).
    const kept = await importJson(t, [{ code: 'VT', name: 'Đảng bộ huyện Vũ Thư', tier: 'district', parentCode: '' }]);
    expect(kept.body).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await committee('VT')).toBe('Huyện ủy Vũ Thư');

    // Given: set, spaces collapsed.
    const set = await importJson(t, [
      { code: 'VH', name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots', parentCode: 'VT', committeeName: '  Đảng ủy  xã Vũ Hội ' },
    ]);
    expect(set.body).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(await committee('VH')).toBe('Đảng ủy xã Vũ Hội');

    // Empty: cleared.
    const cleared = await importJson(t, [
      { code: 'VT', name: 'Đảng bộ huyện Vũ Thư', tier: 'district', parentCode: '', committeeName: '' },
    ]);
    expect(cleared.body).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(await committee('VT')).toBeNull();
  });

  it('CSV: the column read by its header; a file without it keeps the stored names', async () => {
    const res = await importFile(
      t,
      csv(['code', 'name', 'tier', 'parentCode', 'committeeName'], [['VT', 'Đảng bộ huyện Vũ Thư', 'district', '', 'Huyện ủy Vũ Thư']]),
      'units.csv',
    );
    expect(res.status).toBe(200);
    expect(await committee('VT')).toBe('Huyện ủy Vũ Thư');
    const without = await importFile(
      t,
      csv(['code', 'name', 'tier', 'parentCode'], [['VT', 'Đảng bộ huyện Vũ Thư', 'district', '']]),
      'units.csv',
    );
    expect(without.body).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await committee('VT')).toBe('Huyện ủy Vũ Thư');
  });

  it('XLSX: the column read by its header ("Committee Name" is the same column); a file without it keeps the stored names', async () => {
    const res = await importFile(
      t,
      await xlsx(
        ['code', 'name', 'tier', 'parentCode', 'Committee Name'],
        [['VH', 'Đảng bộ xã Vũ Hội', 'grassroots', 'VT', 'Đảng ủy xã Vũ Hội mới']],
      ),
      'units.xlsx',
    );
    expect(res.status).toBe(200);
    expect(await committee('VH')).toBe('Đảng ủy xã Vũ Hội mới');
    const without = await importFile(
      t,
      await xlsx(['code', 'name', 'tier', 'parentCode'], [['VH', 'Đảng bộ xã Vũ Hội', 'grassroots', 'VT']]),
      'units.xlsx',
    );
    expect(without.body).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await committee('VH')).toBe('Đảng ủy xã Vũ Hội mới');
  });

  it('a committee name over 300 characters is refused on its row, nothing written', async () => {
    const res = await importJson(t, [
      { code: 'VT', name: 'Đảng bộ huyện Vũ Thư', tier: 'district', parentCode: '', committeeName: 'Huyện ủy mới' },
      { code: 'VH', name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots', parentCode: 'VT', committeeName: 'x'.repeat(301) },
    ]);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual([{ row: 2, field: 'committeeName', reason: 'must be at most 300 characters' }]);
    expect(await committee('VT')).toBe('Huyện ủy Vũ Thư');
  });
});
