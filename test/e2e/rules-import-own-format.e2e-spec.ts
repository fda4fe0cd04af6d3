import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { importJson } from '../factories/import';
import { communes, plannedTree } from '../factories/workflow';

/**
 * The congress format and pilots are decided by a strict ancestor, by import as by PATCH: an admin
 * importing a row of a unit not strictly below them (their own unit; the root for the root's admin)
 * may not change its `congressType` or `pilot`. The row is refused (403 FORBIDDEN_SCOPE, as PATCH,
 * with a Vietnamese row error) and nothing is imported; the same value or an empty cell is no change.
 * Table: importer × row × cells → refused fields (none: imported).
 */
describe('import: the congress format of one’s own unit is the superior’s decision', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let districtAdmin: string;
  const row = (code: string, cells: Record<string, string>) => {
    const base: Record<string, Record<string, string>> = {
      TW: { code: 'TW', name: 'Ban Chấp hành Trung ương', tier: 'central', parentCode: '' },
      D: { code: 'D', name: 'Huyện ủy D', tier: 'district', parentCode: 'P' },
      C1: { code: 'C1', name: 'Đảng ủy xã C1', tier: 'grassroots', parentCode: 'D' },
      C2: { code: 'C2', name: 'Đảng ủy xã C2', tier: 'grassroots', parentCode: 'D' },
    };
    return { ...base[code], ...cells };
  };
  const stored = async (code: string) =>
    (await t.db.query(`SELECT congress_type AS "congressType", pilot FROM units WHERE code = $1`, [code])).rows[0];

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, communes(2)));
    districtAdmin = await t.loginAs('admin', ids.D);
  });
  afterAll(async () => t?.close());

  const CASES: [string, 'district' | 'root', { code: string; cells: Record<string, string> }[], string[]][] = [
    [
      "the district's admin changes its own format",
      'district',
      [{ code: 'D', cells: { congressType: 'three_contents' } }],
      ['1:congressType'],
    ],
    ["the district's admin makes its own unit a pilot", 'district', [{ code: 'D', cells: { pilot: 'true' } }], ['1:pilot']],
    ['both at once', 'district', [{ code: 'D', cells: { congressType: 'two_contents', pilot: 'true' } }], ['1:congressType', '1:pilot']],
    ["the root's admin changes the root's format", 'root', [{ code: 'TW', cells: { congressType: 'two_contents' } }], ['1:congressType']],
    [
      'a good row below does not save a bad one: nothing is imported',
      'district',
      [
        { code: 'C1', cells: { congressType: 'three_contents' } },
        { code: 'D', cells: { pilot: 'true' } },
      ],
      ['2:pilot'],
    ],
    ['the stored values again are no change', 'district', [{ code: 'D', cells: { congressType: 'full', pilot: 'false' } }], []],
    ['empty cells keep the stored values', 'district', [{ code: 'D', cells: { congressType: '', pilot: '' } }], []],
    [
      'a unit strictly below: the district decides',
      'district',
      [{ code: 'C2', cells: { congressType: 'three_contents', pilot: 'true' } }],
      [],
    ],
  ];

  it.each(CASES)('%s', async (_case, who, rows, refused) => {
    const before = Object.fromEntries(await Promise.all(rows.map(async (r) => [r.code, await stored(r.code)])));
    const res = await importJson(
      t,
      rows.map((r) => row(r.code, r.cells)),
      who === 'root' ? t.adminToken : districtAdmin,
    );
    if (refused.length === 0) {
      expect(res.status).toBe(200);
      for (const r of rows) {
        const now = await stored(r.code);
        if (r.cells.congressType) expect(now.congressType).toBe(r.cells.congressType);
        if (r.cells.pilot) expect(now.pilot).toBe(r.cells.pilot === 'true');
      }
      return;
    }
    expectError(res, 403, 'FORBIDDEN_SCOPE');
    expect(res.body.details.map((d: { row: number; field: string }) => `${d.row}:${d.field}`)).toEqual(refused);
    for (const d of res.body.details) expect(d.reason).toMatch(/do cấp ủy cấp trên quyết định/);
    for (const r of rows) expect(await stored(r.code)).toEqual(before[r.code]);
  });

  it('PATCH agrees: the unit’s own admin may not change its format', async () => {
    const res = await t.request('PATCH', `/api/units/${ids.D}`, { token: districtAdmin, body: { congressType: 'three_contents' } });
    expectError(res, 403, 'FORBIDDEN_SCOPE');
  });
});
